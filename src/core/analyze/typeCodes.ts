/**
 * Type codes accepted by `multiprocessing.Value`/`Array` (`multiprocessing.sharedctypes`
 * maps them to ctypes, following the `array` module's table). Sizes are the usual ones on
 * 64-bit Linux and macOS (`l`/`L` are 4 bytes on Windows).
 */

export interface TypeCode {
  code: string;
  ctype: string;
  python: string;
  /** Range of the integer types, for the overflow check. */
  min?: number;
  max?: number;
  /** A small integer type whose counters overflow quickly. */
  narrow?: boolean;
}

export const TYPE_CODES: readonly TypeCode[] = [
  { code: 'c', ctype: 'char', python: 'bytes of length 1' },
  { code: 'u', ctype: 'wchar_t', python: 'str of length 1' },
  { code: 'b', ctype: 'signed char', python: 'int', min: -128, max: 127, narrow: true },
  { code: 'B', ctype: 'unsigned char', python: 'int', min: 0, max: 255, narrow: true },
  { code: 'h', ctype: 'short', python: 'int', min: -32768, max: 32767, narrow: true },
  { code: 'H', ctype: 'unsigned short', python: 'int', min: 0, max: 65535, narrow: true },
  { code: 'i', ctype: 'int', python: 'int', min: -(2 ** 31), max: 2 ** 31 - 1 },
  { code: 'I', ctype: 'unsigned int', python: 'int', min: 0, max: 2 ** 32 - 1 },
  { code: 'l', ctype: 'long', python: 'int', min: -(2 ** 63), max: 2 ** 63 - 1 },
  { code: 'L', ctype: 'unsigned long', python: 'int', min: 0, max: 2 ** 64 - 1 },
  { code: 'q', ctype: 'long long', python: 'int', min: -(2 ** 63), max: 2 ** 63 - 1 },
  { code: 'Q', ctype: 'unsigned long long', python: 'int', min: 0, max: 2 ** 64 - 1 },
  { code: 'f', ctype: 'float', python: 'float' },
  { code: 'd', ctype: 'double', python: 'float' },
];

const BY_CODE = new Map(TYPE_CODES.map((t) => [t.code, t]));

export function typeCode(code: string): TypeCode | undefined {
  return BY_CODE.get(code);
}

/** ctypes names accepted in place of a code (`ctypes.c_double`) → the equivalent code. */
export const CTYPES: Record<string, string> = {
  c_char: 'c', c_wchar: 'u', c_byte: 'b', c_ubyte: 'B', c_short: 'h', c_ushort: 'H', c_int: 'i', c_uint: 'I',
  c_long: 'l', c_ulong: 'L', c_longlong: 'q', c_ulonglong: 'Q', c_float: 'f', c_double: 'd', c_bool: 'B',
  c_int8: 'b', c_uint8: 'B', c_int16: 'h', c_uint16: 'H', c_int32: 'i', c_uint32: 'I', c_int64: 'q', c_uint64: 'Q',
  c_size_t: 'L', c_ssize_t: 'l',
};

/** Markdown for a hover on a type code: its row first, then the whole table. */
export function typeCodeMarkdown(code: string): string {
  const entry = BY_CODE.get(code);
  const head = entry
    ? `**\`'${entry.code}'\`** → C \`${entry.ctype}\`, Python \`${entry.python}\`${entry.min !== undefined ? ` (${entry.min.toLocaleString('en-US')} … ${entry.max?.toLocaleString('en-US')})` : ''}`
    : `**\`'${code}'\`** is not a valid type code: \`Value\`/\`Array\` raise \`TypeError: this type has no size\`.`;
  const rows = TYPE_CODES.map((t) => `| \`'${t.code}'\` | \`${t.ctype}\` | ${t.python} |`);
  return [head, '', '| code | C type | Python type |', '|---|---|---|', ...rows, '', 'A `ctypes` type (`ctypes.c_double`) is accepted too.'].join('\n');
}
