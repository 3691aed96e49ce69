// Text from elsewhere (a server's answer, a script's output) in our one-line messages: control characters
// (terminal escapes, carriage returns) become "?", so a message cannot repaint or hide the terminal's lines.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function printable(s: string): string {
  return s.replace(CONTROL, '?');
}
