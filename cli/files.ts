/** Writing files the way the command must: atomically (a temporary file beside the target, then rename) and with a chosen mode. */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, content: string, mode: number, encoding: BufferEncoding = 'utf8'): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx': never follow or reuse something already there; the mode is set again after the umask had its say.
  const fd = openSync(temporary, 'wx', mode);
  try {
    writeSync(fd, Buffer.from(content, encoding));
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    chmodSync(temporary, mode);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Creates `file` holding `content`, with `mode` whatever the umask; false when the name is taken. It
 * never opens what is already there: not a file, and not a symbolic link someone put in its place
 * (O_CREAT | O_EXCL refuses a link, dangling or not; O_NOFOLLOW says so again).
 */
export function createNew(file: string, content: Buffer, mode: number): boolean {
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
    fchmodSync(fd, mode);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}
