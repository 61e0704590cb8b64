/**
 * Text from an emissions file made safe for a terminal or a Markdown page. The file is data,
 * not trusted: a cell holding an escape sequence would otherwise clear the screen, retitle
 * the window or hide lines when the report is printed, and a line break would split a table
 * row in two.
 */

// C0 controls, DEL and C1 controls (U+0080–U+009F: U+009B alone starts a sequence in many
// terminals).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/** `text` with every control character, line breaks included, shown as `\xNN`. */
export function printable(text: string): string {
  return text.replace(CONTROL, hexEscape);
}

/** A whole rendering: control characters shown as `\xNN`, its own line breaks kept. */
export function printableLines(text: string): string {
  return text.replace(CONTROL_BUT_NEWLINE, hexEscape);
}

function hexEscape(character: string): string {
  return `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`;
}
