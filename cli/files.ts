/** Writing files the way the command must: atomically (a temporary file beside the target, then rename) and with a chosen mode. */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
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
