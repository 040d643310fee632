// Reads the rows of a Parquet file whose COLUMN lies in [FROM, TO) with hyparquet's statistics-based row-group pruning
// (not the engine's Parquet.Net), and prints, as JSON, each row group's min/max of COLUMN and byte range, the byte
// ranges the read fetched after the footer, and the rows.
// Usage: node read-range.mjs FILE.parquet COLUMN FROM TO
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

const [path, column, from, to] = process.argv.slice(2)
const file = await asyncBufferFromFile(path)
const metadata = await parquetMetadataAsync(file)
const fetched = []
const recording = { byteLength: file.byteLength, slice: (start, end) => { fetched.push([start, end ?? file.byteLength]); return file.slice(start, end) } }
const filter = { [column]: { $gte: Number(from), $lt: Number(to) } }
const rows = await parquetReadObjects({ file: recording, metadata, filter, compressors })
const rowGroups = metadata.row_groups.map(g => {
  const chunks = g.columns.map(c => c.meta_data)
  const starts = chunks.map(m => Number(m.dictionary_page_offset ?? m.data_page_offset))
  const stats = chunks.find(m => m.path_in_schema.join('.') === column).statistics ?? {}
  return {
    rows: Number(g.num_rows),
    min: stats.min_value ?? stats.min ?? null,
    max: stats.max_value ?? stats.max ?? null,
    start: Math.min(...starts),
    end: Math.max(...chunks.map((m, i) => starts[i] + Number(m.total_compressed_size))),
  }
})
const json = JSON.stringify({ size: file.byteLength, rowGroups, fetched, data: rows },
  (key, value) => typeof value === 'bigint' ? Number(value) : value)
process.stdout.write(json)
