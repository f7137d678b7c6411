import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The e2e tests start servers and clients; two workers suit the 2-core CI machine.
    maxWorkers: 2,
  },
});
