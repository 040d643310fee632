using SSIS.Batch.Engine.Dedupe;

namespace SSIS.Batch.Engine.Output;

/// <summary>duplicates.parquet: one row per member of each duplicate group (same recording by fingerprint).</summary>
public static class DuplicatesTable
{
    public static string FileName => Schema.ParquetFileName;

    public static readonly TableSchema Schema = new("duplicates", "one row per member of each duplicate group (same recording by fingerprint)",
    [
        new("group_id", ColumnTypes.Int32, "duplicate group, numbered from 1 in order of its first member's path"),
        new("track_id", ColumnTypes.Int64, "the member's `track_id` in tracks.parquet"),
        new("path", ColumnTypes.String, "the member's path"),
        new("is_canonical", ColumnTypes.Boolean, "the one file of the group later stages use"),
        new("similarity", ColumnTypes.Double, "share of equal fingerprint bits with the canonical file at the best offset, 0..1 (1 for the canonical, and for a copy matched by content)"),
        new("offset_items", ColumnTypes.Int32, "best alignment against the canonical, fingerprint items (positive: this file's audio starts later)"),
        new("offset_s", ColumnTypes.Double, "the same offset, seconds"),
        new("reason", ColumnTypes.String, "why the canonical file was chosen (`canonical: ` and the deciding criterion in words, e.g. `canonical: lossless: flac over mp3`), or which file this one duplicates"),
        new("merged_rating", ColumnTypes.Float, "the group's rating: that of its most recently modified rated copy, 0..1 (null: none rated)"),
        new("decided_by", ColumnTypes.String, "the `dedupe.prefer` criterion that separated the canonical from the runner-up (`path_order`: all tied)"),
        new("matched_by", ColumnTypes.String, "how this file is known to be the canonical's recording: `identical_bytes`, `identical_decoded_audio`, `fingerprint` (`canonical` on the canonical's row)"),
    ]);

    public static IReadOnlyList<string> Write(string outputFolder, IEnumerable<DuplicateGroup> groups, OutputFormats formats) =>
        TableWriter.Write(outputFolder, Schema, formats,
            groups.SelectMany(g => g.Members.Select(m => new object?[]
            {
                g.GroupId, m.Track.Track.TrackId, m.Track.Track.Path, m.IsCanonical, m.SimilarityToCanonical, m.OffsetItems,
                m.OffsetSeconds, m.Reason, g.MergedRating, g.DecidedBy, m.MatchedBy,
            })));
}
