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
});
