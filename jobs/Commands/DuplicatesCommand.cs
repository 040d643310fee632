using System.Globalization;
using System.Text;
using System.Text.Json;
using SSIS.Batch.Engine.Native.DuckDb;
using SSIS.Batch.Engine.Output;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>One file of a duplicate group, as the review lists it.</summary>
public sealed record DuplicateReviewRow(
    int GroupId, bool IsCanonical, string Path, string Reason, string? DecidedBy, string? MatchedBy, double Similarity,
    string? Codec, long? BitRateBps, long? SizeBytes);

/// <summary>A duplicate group for review: its canonical file first.</summary>
public sealed record DuplicateReviewGroup(int GroupId, string? DecidedBy, IReadOnlyList<DuplicateReviewRow> Members);

/// <summary>
/// <c>ssis duplicates OUT [--json] [--m3u FILE]</c>: a run's duplicate groups for review (canonical first, why it won,
/// similarity, codec, bit rate, size, path), and optionally an M3U playlist of the non-canonical copies for the user to
/// act on. It reads the run's outputs only: no library file is moved, changed or deleted.
/// </summary>
public static class DuplicatesCommand
{
    public static int Run(string outputFolder, bool json, string? m3uPath, TextWriter output, TextWriter errors)
    {
        if (!File.Exists(Path.Combine(outputFolder, DuplicatesTable.FileName)))
        {
            errors.WriteLine($"error: no {DuplicatesTable.FileName} in {outputFolder}: run a job with fingerprint.enabled into it first (ssis run CONFIG).");
            return RunCommand.ExitConfig;
        }
        var groups = ReadRows(outputFolder)
            .GroupBy(r => r.GroupId)
            .OrderBy(g => g.Key)
            .Select(g => new DuplicateReviewGroup(g.Key, g.First().DecidedBy,
                g.OrderByDescending(m => m.IsCanonical).ThenBy(m => m.Path, StringComparer.Ordinal).ToList()))
            .ToList();
        var copies = groups.SelectMany(g => g.Members.Where(m => !m.IsCanonical)).ToList();
        if (m3uPath is not null)
        {
            var m3u = new StringBuilder("#EXTM3U\n");
            foreach (var copy in copies) m3u.Append("# duplicate of group ").Append(copy.GroupId).Append('\n').Append(copy.Path).Append('\n');
            AtomicFile.WriteAllText(Path.GetFullPath(m3uPath), m3u.ToString());
        }
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(groups, RunSummary.Json));
            return 0;
        }
        output.WriteLine($"{groups.Count} duplicate groups, {copies.Count} non-canonical copies (nothing is deleted: review them, then act yourself)");
        foreach (var group in groups)
        {
            output.WriteLine($"group {group.GroupId} (canonical by {group.DecidedBy}):");
            foreach (var m in group.Members)
            {
                var quality = string.Create(CultureInfo.InvariantCulture,
                    $"{m.Codec ?? "?",-7} {(m.BitRateBps is { } b ? $"{b / 1000} kbps" : "?"),9} {(m.SizeBytes is { } s ? $"{s / 1e6:0.0} MB" : "?"),9}");
                var how = m.IsCanonical ? m.Reason : string.Create(CultureInfo.InvariantCulture, $"similarity {m.Similarity:0.000} by {m.MatchedBy}");
                output.WriteLine($"  {(m.IsCanonical ? "*" : " ")} {quality}  {m.Path}  ({how})");
            }
        }
        if (m3uPath is not null) output.WriteLine($"non-canonical copies listed in {Path.GetFullPath(m3uPath)}");
        return 0;
    }

    /// <summary>duplicates.parquet joined with tracks.parquet (codec, bit rate, size): the command's only read of the outputs.</summary>
    private static List<DuplicateReviewRow> ReadRows(string outputFolder)
    {
        using var db = DuckDbConnection.Open();
        var rows = db.Query($"""
            SELECT d.group_id, d.is_canonical, d.path, d.reason, d.decided_by, d.matched_by, d.similarity, t.codec, t.bit_rate_bps, t.size_bytes
            FROM read_parquet({DuckDbSql.Literal(Path.Combine(outputFolder, DuplicatesTable.FileName))}) d
            LEFT JOIN read_parquet({DuckDbSql.Literal(Path.Combine(outputFolder, TracksTable.FileName))}) t USING (track_id)
            ORDER BY d.group_id, d.path
            """).Rows;
        return rows.Select(r => new DuplicateReviewRow(
            int.Parse(r[0]!, CultureInfo.InvariantCulture), bool.Parse(r[1]!), r[2]!, r[3]!, r[4], r[5], double.Parse(r[6]!, CultureInfo.InvariantCulture),
            r[7], r[8] is { } b ? long.Parse(b, CultureInfo.InvariantCulture) : null,
            r[9] is { } s ? long.Parse(s, CultureInfo.InvariantCulture) : null)).ToList();
    }
}
