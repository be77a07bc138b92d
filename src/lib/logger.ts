/** The logging surface services need; Bolt's logger and the console both fit it. */
export interface TLogger {
  debug(...message: unknown[]): void;
  info(...message: unknown[]): void;
  warn(...message: unknown[]): void;
  error(...message: unknown[]): void;
}
