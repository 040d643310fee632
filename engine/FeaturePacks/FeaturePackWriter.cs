using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Engine.FeaturePacks;

/// <summary>
/// Writes one track's pack as its frames arrive: 50 frames make a row, a row group's rows make one Parquet row group,
/// written and let go, so memory holds one row group (1.6 MB at 60 s) however long the file. The pack is a temp file
/// until <see cref="Commit"/> renames it into place (<see cref="AtomicFile"/>); disposed uncommitted, it is deleted.
/// </summary>
public sealed class FeaturePackWriter : IDisposable
{
    private readonly long _trackId;
    private readonly int _rowGroupRows;
    private readonly AtomicFile.Replacement _file;
    private readonly FileStream _stream;
    private readonly ParquetSink _sink;
    private readonly RecordBatchBuilder _rows;
    private readonly List<float[]> _frames = new(FeaturePackLayout.FramesPerRow);
    private long _rowCount;
    private bool _closed;

    public FeaturePackWriter(string packPath, long trackId, string audioPath, FeaturePackOptions options)
    {
        _trackId = trackId;
        _rowGroupRows = options.RowGroupRows;
        var schema = FeaturePackLayout.Schema.ArrowSchema(new Dictionary<string, string>
        {
            [FeaturePackLayout.VersionKey] = options.Version,
            [FeaturePackLayout.EmbeddingKey] = FeaturePackLayout.EmbeddingVersion,
            [FeaturePackLayout.PathKey] = audioPath,
        });
        _file = new AtomicFile.Replacement(packPath);
        _stream = new FileStream(_file.TempPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 16);
        try
        {
            _sink = ParquetSink.CreateAsync(_stream, schema, ParquetCompression.Default).GetAwaiter().GetResult();
        }
        catch
        {
            _stream.Dispose();
            _file.Dispose();
            throw;
        }
        _rows = new RecordBatchBuilder(schema);
    }

    /// <summary>Rows written or pending so far.</summary>
    public long Rows => _rowCount;

    /// <summary>Adds the next frame (copied: the caller may reuse its buffer).</summary>
    public void Add(float[] logMelDb)
    {
        _frames.Add((float[])logMelDb.Clone());
        if (_frames.Count == FeaturePackLayout.FramesPerRow) EndRow(FeaturePackLayout.RowSeconds * (_rowCount + 1));
    }

    /// <summary>Ends the pack at <paramref name="durationSeconds"/> of audio: the last (short) row, the last row group, the file renamed into place.</summary>
    public void Commit(double durationSeconds)
    {
        if (_frames.Count > 0) EndRow(durationSeconds);
        if (_rows.Count > 0) WriteRowGroup();
        Close();
        _file.Commit();
    }

    private void EndRow(double endSeconds)
    {
        var frames = _frames.ToArray();
        _rows.Append([_trackId, FeaturePackLayout.RowSeconds * _rowCount, endSeconds, frames, FrameEmbedding.Of(frames)]);
        _frames.Clear();
        _rowCount++;
        if (_rows.Count == _rowGroupRows) WriteRowGroup();
    }

    private void WriteRowGroup()
    {
        using var batch = _rows.Build();
        _sink.WriteAsync(batch).GetAwaiter().GetResult();
    }

    private void Close()
    {
        if (_closed) return;
        _closed = true;
        _sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stream.Dispose();
    }

    public void Dispose()
    {
        try
        {
            Close();
        }
        finally
        {
            _file.Dispose();
        }
    }
}
