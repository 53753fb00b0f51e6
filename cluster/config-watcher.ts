// Watches the config file and hands a valid new `lmStudioServers` list to `onServers`, so servers can be added,
// removed or disabled without a restart. An invalid file is reported and ignored: the servers in use stay.
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from '../core/logger.js';
import { ConfigError, loadConfig, type Environment, type ServerConfig } from '../entities/config/index.js';

export interface ConfigWatcherOptions {
  /** The config file (`config-aientities.json`). */
  file: string;
  /** Where `{ "env": NAME }` secrets resolve from, as for `loadConfig`. */
  env: Environment;
  logger: Logger;
  /** Receives the servers of each valid version of the file whose server list differs from the last one. */
  onServers: (servers: ServerConfig[]) => void;
  /** Quiet time after the last change before the file is read, in ms (editors write in several steps). */
  debounceMs?: number;
}

export const DefaultConfigWatcherOptions = { debounceMs: 200 } as const satisfies Required<
  Pick<ConfigWatcherOptions, 'debounceMs'>
>;

export class ConfigWatcher {
  readonly #watcher: FSWatcher;
  readonly #name: string;
  readonly #debounceMs: number;
  #timer: NodeJS.Timeout | undefined;
  /** The server list last handed over, as JSON: a save that leaves the servers alone hands nothing over. */
  #last: string | undefined;
  #closed = false;

  constructor(private readonly o: ConfigWatcherOptions) {
    const debounceMs = o.debounceMs ?? DefaultConfigWatcherOptions.debounceMs;
    if (!Number.isSafeInteger(debounceMs) || debounceMs < 0) {
      throw new RangeError('options.debounceMs must be an integer of ms, 0 or more');
    }
    this.#debounceMs = debounceMs;
    this.#name = basename(o.file);
    // The directory, not the file: an editor that saves by writing a new file and renaming it over the old one
    // replaces the inode a file watch would be tied to, and that watch would go quiet after the first save.
    this.#watcher = watch(dirname(o.file), { persistent: false }, (_event, name) => {
      // Some platforms give no name; then any change in the directory may be ours.
      if (name === null || name === this.#name) this.#schedule();
    });
    this.#watcher.on('error', (error) => {
      this.o.logger.warn('config: watching the file failed; changes are no longer picked up', {
        file: this.o.file,
        error: error.message,
      });
      this.close();
    });
  }

  /** Stops watching; a reload waiting for its debounce is dropped. Safe to call twice. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#watcher.close();
  }

  #schedule(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#reload(), this.#debounceMs);
    this.#timer.unref();
  }

  #reload(): void {
    if (this.#closed) return;
    let servers: ServerConfig[];
    try {
      servers = loadConfig(this.o.file, this.o.env).config.lmStudioServers;
    } catch (error) {
      // ConfigError messages name the file and every problem, with secret values already redacted.
      const message = error instanceof ConfigError ? error.message : String(error);
      this.o.logger.warn('config: the changed file is not valid; the LM Studio servers stay as they were', {
        file: this.o.file,
        error: message,
      });
      return;
    }
    const json = JSON.stringify(servers);
    if (json === this.#last) return;
    try {
      this.o.onServers(servers);
    } catch (error) {
      // Not remembered as handed over: saving the file again retries.
      this.o.logger.error('config: applying the reloaded LM Studio servers failed', {
        file: this.o.file,
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    this.#last = json;
    this.o.logger.debug('config: LM Studio servers reloaded', { file: this.o.file, servers: servers.length });
  }
}
