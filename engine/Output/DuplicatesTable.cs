using SSIS.Batch.Engine.Dedupe;
using SSIS.Batch.Engine.Native.DuckDb;

namespace SSIS.Batch.Engine.Output;

/// <summary>duplicates.parquet: one row per member of each duplicate group (same recording by fingerprint).</summary>
public static class DuplicatesTable
{
    public const string FileName = "duplicates.parquet";

    public static readonly IReadOnlyList<Column> Columns =
    [
        new("group_id", ColumnType.Integer, "duplicate group, numbered from 1 in order of its first member's path"),
        new("track_id", ColumnType.BigInt, "the member's track_id in tracks.parquet"),
        new("path", ColumnType.Varchar, "the member's path"),
        new("is_canonical", ColumnType.Boolean, "the one file of the group later stages use"),
        new("similarity", ColumnType.Double, "share of equal fingerprint bits with the canonical file at the best offset, 0..1 (1 for the canonical)"),
        new("offset_items", ColumnType.Integer, "best alignment against the canonical, fingerprint items (positive: this file's audio starts later)"),
        new("offset_s", ColumnType.Double, "the same offset, seconds"),
        new("reason", ColumnType.Varchar, "why the canonical file was chosen, or which file this one duplicates"),
        new("merged_rating", ColumnType.Float, "the group's rating: that of its most recently modified rated copy, 0..1 (null: none rated)"),
        new("decided_by", ColumnType.Varchar, "the dedupe.prefer criterion that separated the canonical from the runner-up (path_order: all tied)"),
        new("matched_by", ColumnType.Varchar, "how this file is known to be the canonical's recording: identical_bytes, identical_decoded_audio, fingerprint (canonical: canonical)"),
    ];

    public static void Write(string outputFolder, IEnumerable<DuplicateGroup> groups) =>
        ParquetTableWriter.Write(Path.Combine(outputFolder, FileName), Columns,
            groups.SelectMany(g => g.Members.Select(m => new object?[]
            {
                g.GroupId, m.Track.Track.TrackId, m.Track.Track.Path, m.IsCanonical, m.SimilarityToCanonical, m.OffsetItems,
                m.OffsetSeconds, m.Reason, g.MergedRating, g.DecidedBy, m.MatchedBy,
            })));
}
