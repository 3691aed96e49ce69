// The host's platform in Go's words (release trees use GOOS/GOARCH names).

/** GOARCH of this process: amd64 for Node's x64, 386 for ia32, otherwise the same name (arm64, ...). */
export function goArch(arch: string = process.arch): string {
  return arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
}
