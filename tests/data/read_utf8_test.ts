/**
 * `loadTable` on a file that is not UTF-8 text: the error gives the line and byte offset of the
 * first ill-formed sequence (the one a fatal `TextDecoder` stops at) and a hint to re-encode.
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { DataError, loadTable } from "../../lib/data/mod.ts";
import { Rng } from "../../lib/random/rng.ts";

const dir = Deno.makeTempDirSync({ prefix: "read_utf8_test_" });
const encode = (text: string) => new TextEncoder().encode(text);
const join8 = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

async function utf8Error(name: string, bytes: Uint8Array): Promise<DataError> {
  const path = join(dir, name);
  Deno.writeFileSync(path, bytes);
  try {
    await loadTable(path);
  } catch (error) {
    assert.ok(error instanceof DataError, String(error));
    return error;
  }
  throw new Error(`${name}: loaded`);
}

/** The largest prefix a fatal decoder accepts: the start of the first ill-formed sequence. */
function decodablePrefix(bytes: Uint8Array): number {
  for (let k = bytes.length; k >= 0; k--) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, k));
      return k;
    } catch { /* ill-formed */ }
  }
  return 0;
}

Deno.test("loadTable: a Latin-1 byte deep in a file is located by line and byte offset", async () => {
  const head = encode(
    "a,b\n" + Array.from({ length: 5000 }, (_, i) => `${i},ok`).join("\n") + "\n4999,caf",
  );
  const error = await utf8Error("latin1.csv", join8(head, new Uint8Array([0xe9, 0x0a])));
  assert.equal(error.line, 5002);
  assert.match(error.message, /latin1\.csv:5002: /);
  assert.match(error.message, new RegExp(`byte 0xe9 at byte offset ${head.length} `));
  assert.match(error.message, /re-encode it as UTF-8/);
});

Deno.test("loadTable: CRLF and lone CR end lines; gzip offsets are of the decompressed data", async () => {
  const bytes = join8(encode("a,b\r\n1,2\r3,x"), new Uint8Array([0xff]), encode("\n"));
  const plain = await utf8Error("crlf.csv", bytes);
  assert.equal(plain.line, 3);
  assert.match(plain.message, /byte 0xff at byte offset 12 does/);
  const gz = await utf8Error("crlf.csv.gz", gzipSync(bytes));
  assert.equal(gz.line, 3);
  assert.match(gz.message, /byte offset 12 of the decompressed data/);
});

Deno.test("loadTable: the offset is where a fatal TextDecoder stops (random bytes)", async () => {
  const rng = new Rng(7);
  const pieces = [
    [0x41],
    [0x0a],
    [0xc3, 0xa9],
    [0xe2, 0x82, 0xac],
    [0xf0, 0x9f, 0x98, 0x80], // well-formed
    [0xc0, 0x80],
    [0xe0, 0x80, 0x80],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80], // overlong,
    [0xf5],
    [0x80],
    [0xe2, 0x82],
    [0xf0, 0x9f],
    [0xc3], // surrogate, too big, stray, cut off
  ];
  for (let t = 0; t < 60; t++) {
    const parts = [encode("a\n")];
    const length = 1 + rng.integer(12);
    for (let k = 0; k < length; k++) {
      // Mostly well-formed pieces, so that the first bad one comes at varying offsets.
      const p = rng.uniform() < 0.8
        ? pieces[rng.integer(5)]
        : pieces[5 + rng.integer(pieces.length - 5)];
      parts.push(new Uint8Array(p));
    }
    const bytes = join8(...parts);
    const expected = decodablePrefix(bytes);
    if (expected === bytes.length) continue;
    const error = await utf8Error(`random${t}.csv`, bytes);
    assert.match(error.message, new RegExp(`at byte offset ${expected} does`), `case ${t}`);
    let line = 1;
    for (let i = 0; i < expected; i++) if (bytes[i] === 0x0a) line++;
    assert.equal(error.line, line, `case ${t}`);
  }
});
