// Prints an Arrow IPC file's schema, metadata and rows as JSON, read by apache-arrow (not the engine), for the tests.
// Usage: node read-arrow.mjs FILE.arrow
import { readFileSync } from 'node:fs'
import { tableFromIPC, DataType } from 'apache-arrow'

const table = tableFromIPC(readFileSync(process.argv[2]))
const fields = table.schema.fields
// Plain JSON values: int64 as numbers, timestamps as ISO strings (millisecond precision, as hyparquet gives them), lists as arrays.
const plain = (value, type) => {
  if (value === null || value === undefined) return null
  if (DataType.isTimestamp(type)) return new Date(Number(value)).toISOString()
  if (typeof value === 'bigint') return Number(value)
  if (DataType.isList(type) || DataType.isFixedSizeList(type)) return Array.from(value, v => plain(v, type.children[0].type))
  return value
}
const data = []
for (let r = 0; r < table.numRows; r++) {
  const row = {}
  fields.forEach((f, c) => { row[f.name] = plain(table.getChildAt(c).get(r), f.type) })
  data.push(row)
}
process.stdout.write(JSON.stringify({
  rows: table.numRows,
  batches: table.batches.length,
  columns: fields.map(f => ({ name: f.name, type: String(f.type), nullable: f.nullable, metadata: Object.fromEntries(f.metadata) })),
  metadata: Object.fromEntries(table.schema.metadata),
  data,
}))
