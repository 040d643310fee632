using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Native.DuckDb;

namespace SSIS.Batch.Engine.Output;

/// <summary>groups.parquet: one row per member of each candidate duplicate group.</summary>
public static class GroupsTable
{
    public const string FileName = "groups.parquet";

    public static readonly IReadOnlyList<Column> Columns =
    [
        new("group_id", ColumnType.Integer, "candidate group, numbered from 1 in order of its first member's path"),
        new("mode", ColumnType.Varchar, "strict or duration"),
        new("signature", ColumnType.Varchar, "what the members share (strict signature, or the duration span)"),
        new("track_id", ColumnType.BigInt, "the member's track_id in tracks.parquet"),
        new("path", ColumnType.Varchar, "the member's path"),
        new("duration_s", ColumnType.Double, "the member's probed duration, seconds"),
        new("size_bytes", ColumnType.BigInt, "the member's file size, bytes"),
    ];

    public static void Write(string outputFolder, IEnumerable<CandidateGroup> groups) =>
        ParquetTableWriter.Write(Path.Combine(outputFolder, FileName), Columns,
            groups.SelectMany(g => g.Members.Select(m => new object?[]
            {
                g.GroupId, g.Mode.ToString().ToLowerInvariant(), g.Signature, m.Track.TrackId, m.Track.Path,
                m.Properties!.DurationSeconds, m.Stamp!.Value.SizeBytes,
            })));
}
