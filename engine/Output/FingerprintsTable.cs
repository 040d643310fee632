using SSIS.Batch.Engine.Fingerprint;
using SSIS.Batch.Engine.Native.DuckDb;

namespace SSIS.Batch.Engine.Output;

/// <summary>fingerprints.parquet: one row per fingerprinted duplicate candidate.</summary>
public static class FingerprintsTable
{
    public const string FileName = "fingerprints.parquet";

    public static readonly IReadOnlyList<Column> Columns =
    [
        new("track_id", ColumnType.BigInt, "the track's track_id in tracks.parquet"),
        new("path", ColumnType.Varchar, "the file"),
        new("source", ColumnType.Varchar, "acoustid (first 120 s, as fpcalc) or crop (the centre crop)"),
        new("duration_s", ColumnType.Double, "seconds of audio fingerprinted"),
        new("raw", ColumnType.UIntegerList, "raw Chromaprint items, one per ~0.124 s (as fpcalc -raw prints them)"),
        new("compressed", ColumnType.Varchar, "compressed, base64 fingerprint (as fpcalc prints it; AcoustID's lookup format)"),
        new("hash", ColumnType.UInteger, "Chromaprint's 32-bit simhash of the raw items"),
    ];

    public static void Write(string outputFolder, FingerprintSource source, IEnumerable<FingerprintedTrack> tracks) =>
        ParquetTableWriter.Write(Path.Combine(outputFolder, FileName), Columns,
            tracks.Where(t => t.Fingerprint is not null).Select(t => new object?[]
            {
                t.Track.Track.TrackId, t.Track.Track.Path, source.ToString().ToLowerInvariant(), t.Fingerprint!.FedSeconds,
                t.Fingerprint.Raw, t.Fingerprint.Compressed, t.Fingerprint.Hash,
            }));
}
