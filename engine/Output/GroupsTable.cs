using SSIS.Batch.Engine.Grouping;

namespace SSIS.Batch.Engine.Output;

/// <summary>groups.parquet: one row per member of each candidate duplicate group.</summary>
public static class GroupsTable
{
    public static string FileName => Schema.ParquetFileName;

    public static readonly TableSchema Schema = new("groups", "one row per member of each candidate duplicate group (groups of 2 or more)",
    [
        new("group_id", ColumnTypes.Int32, "candidate group, numbered from 1 in order of its first member's path"),
        new("mode", ColumnTypes.String, "`strict` or `duration`"),
        new("signature", ColumnTypes.String, "what the members share (strict signature, or the duration span)"),
        new("track_id", ColumnTypes.Int64, "the member's `track_id` in tracks.parquet"),
        new("path", ColumnTypes.String, "the member's path"),
        new("duration_s", ColumnTypes.Double, "the member's probed duration, seconds"),
        new("size_bytes", ColumnTypes.Int64, "the member's file size, bytes"),
    ]);

    public static IReadOnlyList<string> Write(string outputFolder, IEnumerable<CandidateGroup> groups, OutputFormats formats) =>
        TableWriter.Write(outputFolder, Schema, formats,
            groups.SelectMany(g => g.Members.Select(m => new object?[]
            {
                g.GroupId, g.Mode.ToString().ToLowerInvariant(), g.Signature, m.Track.TrackId, m.Track.Path,
                m.Properties!.DurationSeconds, m.Stamp!.Value.SizeBytes,
            })));
}
