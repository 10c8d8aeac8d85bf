// The literal formatter is the only thing between input and SQL on 18.16: a value must never end its literal.
import { describe, expect, it } from 'vitest';
import { day, formatValue, ident, quoteString, sql, SqlValueError, timezone } from '../../warehouse/sql.ts';

describe('quoteString', () => {
  it.each([
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ['nul\0byte', "'nul\\0byte'"],
    ['line\nbreak\r\t', "'line\\nbreak\\r\\t'"],
    ['bell\x07', "'bell\\x07'"],
    ['😀 non-BMP 中文', "'😀 non-BMP 中文'"],
  ])('escapes %j', (input, expected) => {
    expect(quoteString(input)).toBe(expected);
  });

  it('keeps a trailing backslash from escaping the closing quote', () => {
    expect(quoteString('x\\')).toBe("'x\\\\'");
  });

  it('refuses lone surrogates, which have no UTF-8 form', () => {
    expect(() => quoteString('\uD800')).toThrow(SqlValueError);
  });

  it('never leaves an unescaped quote inside the literal', () => {
    const hostile = ["'; DROP TABLE events; --", "\\'", "\\\\'", "' OR 1=1 --", "''", "\\", "\0'"];
    for (const value of hostile) {
      const body = quoteString(value).slice(1, -1);
      // Every quote in the body must be preceded by an odd number of backslashes.
      for (let i = 0; i < body.length; i++) {
        if (body[i] !== "'") continue;
        let slashes = 0;
        for (let j = i - 1; j >= 0 && body[j] === '\\'; j--) slashes++;
        expect(slashes % 2, `${JSON.stringify(value)} → ${body}`).toBe(1);
      }
    }
  });
});

describe('formatValue', () => {
  it('formats numbers, refusing NaN, Infinity and unsafe integers', () => {
    expect(formatValue(42)).toBe('42');
    expect(formatValue(-1.5)).toBe('-1.5');
    expect(() => formatValue(Number.NaN)).toThrow(SqlValueError);
    expect(() => formatValue(Number.POSITIVE_INFINITY)).toThrow(SqlValueError);
    expect(() => formatValue(2 ** 60)).toThrow(SqlValueError);
    expect(formatValue(2n ** 60n)).toBe('1152921504606846976');
  });

  it('formats booleans, null, dates, days and arrays', () => {
    expect(formatValue(true)).toBe('1');
    expect(formatValue(null)).toBe('NULL');
    expect(formatValue(new Date('2024-03-01T12:34:56.789Z'))).toBe("toDateTime('2024-03-01 12:34:56', 'UTC')");
    expect(formatValue(day('2024-03-01'))).toBe("toDate('2024-03-01')");
    expect(formatValue(['a', "b'", 3])).toBe("['a', 'b\\'', 3]");
  });

  it('refuses invalid days, dates and timezones', () => {
    expect(() => day("2024-01-01') OR 1=1 --")).toThrow(SqlValueError);
    expect(() => formatValue(new Date('nope'))).toThrow(SqlValueError);
    expect(() => timezone("UTC') --")).toThrow(SqlValueError);
    expect(formatValue(timezone('Asia/Hong_Kong'))).toBe("'Asia/Hong_Kong'");
  });
});

describe('sql tag and identifiers', () => {
  it('renders values as literals in place', () => {
    expect(sql`SELECT ${'x'} AS a, ${1} AS b`.text).toBe("SELECT 'x' AS a, 1 AS b");
  });

  it('nests fragments without quoting them', () => {
    const inner = sql`org = ${'acme'}`;
    expect(sql`WHERE ${inner}`.text).toBe("WHERE org = 'acme'");
  });

  it('allows only allowlisted identifiers', () => {
    expect(ident('events').text).toBe('`events`');
    expect(() => ident('events; DROP TABLE people')).toThrow(SqlValueError);
    expect(() => ident('system.users')).toThrow(SqlValueError);
  });
});
