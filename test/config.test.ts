import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, logLevel, requireKeys } from '../src/config.js';

describe('config', () => {
  it('gives defaults for everything optional', () => {
    expect(loadConfig({})).toMatchObject({
      CORPUS_DIR: 'corpus',
      CACHE_DIR: '.cache',
      INTERACTIONS_MODE: 'gateway',
      PORT: 3000,
      TOTAL_SHARDS: 'auto',
      WATCH_CORPUS: true,
    });
  });
  it('logs at info for the bot and at warn for a person, unless LOG_LEVEL says otherwise', () => {
    expect(logLevel(loadConfig({}), 'service')).toBe('info');
    expect(logLevel(loadConfig({}), 'person')).toBe('warn');
    expect(logLevel(loadConfig({ LOG_LEVEL: 'debug' }), 'person')).toBe('debug');
    expect(logLevel(loadConfig({ LOG_LEVEL: 'silent' }), 'service')).toBe('silent');
  });
  it('treats blank values as unset, as a copied .env.example leaves them', () => {
    expect(loadConfig({ DISCORD_TOKEN: '', DISCORD_GUILD_ID: '  ', PORT: '' })).toMatchObject({ PORT: 3000 });
    expect(loadConfig({ DISCORD_TOKEN: '' }).DISCORD_TOKEN).toBeUndefined();
  });
  it('names the key that is wrong and where to fix it', () => {
    expect(() => loadConfig({ DISCORD_GUILD_ID: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ DISCORD_GUILD_ID: 'abc' })).toThrow(/DISCORD_GUILD_ID: must be a Discord id[\s\S]*\.env\.example/);
    expect(() => loadConfig({ TOTAL_SHARDS: 'many' })).toThrow(/TOTAL_SHARDS/);
  });
  it('reads shard ids as ranges and lists', () => {
    expect(loadConfig({ SHARD_IDS: '0-3' }).SHARD_IDS).toEqual([0, 1, 2, 3]);
    expect(loadConfig({ SHARD_IDS: '4,6-7' }).SHARD_IDS).toEqual([4, 6, 7]);
    expect(() => loadConfig({ SHARD_IDS: 'all' })).toThrow(/SHARD_IDS: must be shard ids/);
  });
  it('requires what an entry point cannot do without', () => {
    expect(() => requireKeys(loadConfig({}), ['DISCORD_TOKEN', 'DISCORD_CLIENT_ID'], 'to register commands')).toThrow(
      /DISCORD_TOKEN, DISCORD_CLIENT_ID are required to register commands/,
    );
  });
  it('gives the readings settings their defaults and checks them', () => {
    expect(loadConfig({})).toMatchObject({
      READINGS_DIR: 'readings',
      SHARED_CORPUS: true,
      READING_MAX_BYTES: 1024 * 1024,
      READINGS_PER_SERVER: 50,
      READING_DOWNLOAD_TIMEOUT_MS: 10_000,
    });
    expect(loadConfig({}).DATABASE_URL).toBeUndefined();
    expect(loadConfig({ SHARED_CORPUS: 'false' }).SHARED_CORPUS).toBe(false);
    expect(() => loadConfig({ READING_MAX_BYTES: String(3 * 1024 * 1024) })).toThrow(/READING_MAX_BYTES/);
    expect(() => loadConfig({ READINGS_PER_SERVER: 'lots' })).toThrow(/READINGS_PER_SERVER/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(() => loadConfig({ DISCORD_CDN_URL: 'ftp://x' })).toThrow(/DISCORD_CDN_URL/);
  });
});
