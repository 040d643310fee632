using SSIS.Batch.Engine.Fingerprint;

namespace SSIS.Batch.Engine.Output;

/// <summary>fingerprints.parquet: one row per fingerprinted duplicate candidate.</summary>
public static class FingerprintsTable
{
    public static string FileName => Schema.ParquetFileName;

    public static readonly TableSchema Schema = new("fingerprints", "one row per fingerprinted duplicate candidate",
    [
        new("track_id", ColumnTypes.Int64, "the track's `track_id` in tracks.parquet"),
        new("path", ColumnTypes.String, "the file"),
        new("source", ColumnTypes.String, "`acoustid` (first 120 s, as fpcalc) or `crop` (the centre crop)"),
        new("duration_s", ColumnTypes.Double, "seconds of audio fingerprinted"),
        new("raw", ColumnTypes.UInt32List, "raw Chromaprint items, one per ~0.124 s (as `fpcalc -raw` prints them)"),
        new("compressed", ColumnTypes.String, "compressed, base64 fingerprint (as fpcalc prints it; AcoustID's lookup format)"),
        new("hash", ColumnTypes.UInt32, "Chromaprint's 32-bit simhash of the raw items"),
    ]);

    public static IReadOnlyList<string> Write(string outputFolder, FingerprintSource source, IEnumerable<FingerprintedTrack> tracks, OutputFormats formats) =>
        TableWriter.Write(outputFolder, Schema, formats,
            tracks.Where(t => t.Fingerprint is not null).Select(t => new object?[]
            {
                t.Track.Track.TrackId, t.Track.Track.Path, source.ToString().ToLowerInvariant(), t.Fingerprint!.FedSeconds,
                t.Fingerprint.Raw, t.Fingerprint.Compressed, t.Fingerprint.Hash,
            }));
}
