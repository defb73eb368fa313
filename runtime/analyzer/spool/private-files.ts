import { chmod, mkdir, open, rename, writeFile, type FileHandle } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';

/**
 * Events and exchange ids hold what sensors saw of the applications' traffic: only the analyzer's
 * user may read them. Modes are set with chmod after creation, because the mode given to mkdir and
 * open is narrowed by the process umask (and a umask of 0 would leave group and world bits).
 */
export const PRIVATE_DIRECTORY_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `directory` (and missing parents) readable by the owner only. The directory itself is
 * made private even when it already existed (it holds nothing but the analyzer's data); parents
 * that existed before are left as they are.
 */
export async function ensurePrivateDirectory(directory: string): Promise<void> {
  const target = resolve(directory);
  const firstCreated = await mkdir(target, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  if (firstCreated) {
    // Every directory from the first one created down to the target is new: make each private.
    let current = resolve(firstCreated);
    await chmod(current, PRIVATE_DIRECTORY_MODE);
    for (const part of relative(current, target).split(sep).filter(Boolean)) {
      current = resolve(current, part);
      await chmod(current, PRIVATE_DIRECTORY_MODE);
    }
  } else {
    // Someone else's directory (an operator's choice of SPOOL_DIR) stays as it is if we may not change it.
    await chmod(target, PRIVATE_DIRECTORY_MODE).catch(() => undefined);
  }
}

/** Opens (creating if needed) a file only the owner can read or write. */
export async function openPrivate(path: string, flags: string): Promise<FileHandle> {
  const handle = await open(path, flags, PRIVATE_FILE_MODE);
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** Replaces `path` atomically with `data`, readable by the owner only. */
export async function writePrivateFileAtomically(path: string, data: string): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, data, { mode: PRIVATE_FILE_MODE });
  await chmod(temporary, PRIVATE_FILE_MODE);
  await rename(temporary, path);
}
