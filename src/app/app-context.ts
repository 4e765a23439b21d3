// What every view shares: the open memory (reopened when the embedding model changes), settings, status line.

import { createMemory, type MemoryClient, type ModelLoadProgress, type RecallHit } from 'mnemo';
import { describeError } from './dom.js';
import { loadSettings, saveSettings, type AppSettings } from './settings-store.js';

export const NAMESPACE = 'mnemo-app';

type Listener = () => void;

export class AppContext {
  private current: MemoryClient | undefined;
  /** The passphrase of an encrypted memory, held only while the page lives: needed to reopen it. Never stored. */
  private passphrase: string | undefined;
  readonly settings: AppSettings = loadSettings();
  /** The last search's hits, which the map lights up. */
  lastHits: RecallHit[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly progressListeners = new Set<(p: ModelLoadProgress) => void>();

  constructor(private readonly statusLine: HTMLElement) {}

  get memory(): MemoryClient {
    if (!this.current) throw new Error('The memory is not open yet.');
    return this.current;
  }

  /**
   * Opens (or reopens, after a settings change) the memory with the chosen embedding. With `passphrase`, unlocks
   * an encrypted memory (LOCKED without one, WRONG_PASSPHRASE if wrong) and keeps it for later reopens.
   */
  async open(passphrase = this.passphrase): Promise<void> {
    const previous = this.current;
    this.current = undefined;
    await previous?.close();
    const embedding = this.settings.embedding;
    this.current = await createMemory({
      namespace: NAMESPACE,
      ...(embedding && { embedding }),
      ...(passphrase !== undefined && { encryption: { passphrase } }),
      onModelProgress: (progress) => this.progressListeners.forEach((listen) => listen(progress)),
    });
    this.passphrase = passphrase;
    this.changed();
  }

  /** After turning encryption on or changing the passphrase: the one to reopen with. */
  rememberPassphrase(passphrase: string): void {
    this.passphrase = passphrase;
  }

  save(): void {
    saveSettings(this.settings);
  }

  /** Views re-read the memory when something changed it. */
  onChange(listener: Listener): void {
    this.listeners.add(listener);
  }

  changed(): void {
    this.listeners.forEach((listen) => listen());
  }

  onModelProgress(listener: (p: ModelLoadProgress) => void): void {
    this.progressListeners.add(listener);
  }

  say(message: string, isError = false): void {
    this.statusLine.textContent = message;
    this.statusLine.classList.toggle('error', isError);
  }

  /** Runs a user action, reporting its failure in the status line instead of losing it. */
  async attempt<T>(action: () => Promise<T>, done?: string): Promise<T | undefined> {
    try {
      const result = await action();
      if (done) this.say(done);
      return result;
    } catch (error) {
      this.say(describeError(error), true);
      return undefined;
    }
  }
}
