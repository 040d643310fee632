// Prints a Parquet file's schema, key-value metadata, row-group count and rows as JSON, read by hyparquet (not the
// engine's Parquet.Net), for the tests.
// Usage: node read.mjs FILE.parquet
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

const file = await asyncBufferFromFile(process.argv[2])
const metadata = await parquetMetadataAsync(file)
const columns = parquetSchema(metadata).children.map(c => ({
  name: c.element.name,
  type: c.element.type ?? 'GROUP',
  logical: c.element.logical_type?.type ?? c.element.converted_type ?? null,
  utc: c.element.logical_type?.isAdjustedToUTC ?? null,
}))
const rows = await parquetReadObjects({ file, compressors })
const json = JSON.stringify({
  rows: Number(metadata.num_rows),
  rowGroups: metadata.row_groups.length,
  metadata: Object.fromEntries((metadata.key_value_metadata ?? []).map(kv => [kv.key, kv.value])),
  columns,
  data: rows,
}, (key, value) => typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.toISOString() : value)
process.stdout.write(json)
