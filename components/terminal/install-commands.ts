/**
 * How the Terminal page installs the `gatehouse` command: into the person's own ~/.local, so neither
 * root nor sudo is needed (a global `npm install -g` writes to /usr/local and fails with EACCES for
 * a normal user), with npm or as the single file the portal serves. Pure: the page renders these and
 * the tests run exactly them, as a user who is not root.
 */

/** Where the command goes: a folder of the person's own that most shells already put on PATH (systemd's file-hierarchy, pip --user). */
export const USER_BIN = '~/.local/bin';

export function npmInstall(portalUrl: string): string {
  return `npm install -g --prefix ~/.local ${portalUrl}/cli/gatehouse.tgz`;
}

export function singleFileInstall(portalUrl: string): string {
  return `mkdir -p ${USER_BIN} && curl -fsSL -o ${USER_BIN}/gatehouse ${portalUrl}/cli/gatehouse.mjs && chmod +x ${USER_BIN}/gatehouse`;
}

/** The line that puts ~/.local/bin on PATH, for a shell whose start-up does not already. */
export const PATH_LINES: readonly { shell: string; line: string }[] = [
  { shell: 'bash', line: `echo 'export PATH="$HOME/.local/bin:$PATH"' >> ~/.bashrc` },
  { shell: 'zsh', line: `echo 'export PATH="$HOME/.local/bin:$PATH"' >> ~/.zshrc` },
  { shell: 'fish', line: 'fish_add_path ~/.local/bin' },
];

export const COMPLETION_LINES: readonly { shell: string; line: string }[] = [
  { shell: 'bash', line: `echo 'source <(gatehouse completion bash)' >> ~/.bashrc` },
  { shell: 'zsh', line: `echo 'source <(gatehouse completion zsh)' >> ~/.zshrc` },
  { shell: 'fish', line: 'gatehouse completion fish > ~/.config/fish/completions/gatehouse.fish' },
];
