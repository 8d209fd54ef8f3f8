import { appendFileSync } from 'node:fs';

/**
 * @typedef {Record<string, string | number | boolean | undefined>} Fields
 *
 * @typedef {object} Logger
 * @property {(message: string, fields?: Fields) => void} info
 * @property {(message: string, fields?: Fields) => void} warn
 * @property {(message: string, fields?: Fields) => void} error
 */

/**
 * A logger writing one line per entry (`time level message key=value ...`) to stdout and, when
 * given, appending it to `file`. Writes are synchronous: a line is on disk before the shopper gets
 * the answer it explains, and the order of lines is the order of events.
 * @param {string | undefined} file
 * @returns {Logger}
 */
export function createLogger(file) {
  /**
   * @param {string} level
   * @param {string} message
   * @param {Fields} fields
   */
  const write = (level, message, fields) => {
    const pairs = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${quote(String(value))}`);
    const line = `${new Date().toISOString()} ${level} ${[message, ...pairs].join(' ')}\n`;
    process.stdout.write(line);
    if (file) appendFileSync(file, line);
  };
  return {
    info: (message, fields = {}) => write('info', message, fields),
    warn: (message, fields = {}) => write('warn', message, fields),
    error: (message, fields = {}) => write('error', message, fields),
  };
}

/** @param {string} value */
function quote(value) {
  return /^[^\s"=]*$/.test(value) && value !== '' ? value : JSON.stringify(value);
}
