using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SSIS.Batch.Engine.Catalog;
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
        if (PlaylistPath.OptionProblem("--m3u", m3uPath, PlaylistPath.M3u) is { } badPath)
        {
            errors.WriteLine($"error: {badPath}.");
            return (int)ExitCode.BadConfig;
        }
        if (RunOutputs.Lack(outputFolder, DuplicatesTable.FileName, errors, "a job with fingerprint.enabled")) return (int)ExitCode.BadConfig;
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
            // M3U has one path a line: a name with a line break in it goes as a percent-encoded file:// URL, which players take too.
            foreach (var copy in copies)
                m3u.Append("# duplicate of group ").Append(copy.GroupId).Append('\n')
                    .Append(copy.Path.IndexOfAny(['\n', '\r']) >= 0 ? FileUrl.FromLocalPath(copy.Path) : copy.Path).Append('\n');
            AtomicFile.WriteAllText(Path.GetFullPath(m3uPath), m3u.ToString());
        }
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(groups, RunSummary.Json));
            return 0;
        }
        output.WriteLine($"{groups.Count} duplicate groups, {copies.Count} non-canonical copies (nothing is deleted: review them, then act yourself)");
        // The codec column as wide as its longest name (pcm_s16le), so the columns after it line up.
        var codecWidth = groups.SelectMany(g => g.Members).Select(m => (m.Codec ?? "?").Length).DefaultIfEmpty(0).Max();
        foreach (var group in groups)
        {
            output.WriteLine($"group {group.GroupId} (canonical by {group.DecidedBy}):");
            foreach (var m in group.Members)
            {
                var quality = string.Create(CultureInfo.InvariantCulture,
                    $"{(m.Codec ?? "?").PadRight(codecWidth)} {(m.BitRateBps is { } b ? $"{b / 1000} kbps" : "?"),9} {(m.SizeBytes is { } s ? $"{s / 1e6:0.0} MB" : "?"),9}");
                var how = m.IsCanonical ? m.Reason : string.Create(CultureInfo.InvariantCulture, $"similarity {m.Similarity:0.000} by {m.MatchedBy}");
                output.WriteLine($"  {(m.IsCanonical ? "*" : " ")} {quality}  {ConsoleText.OneLine(m.Path)}  ({how})");
            }
        }
        if (m3uPath is not null) output.WriteLine($"non-canonical copies listed in {Path.GetFullPath(m3uPath)}");
        return 0;
    }

    /// <summary>duplicates.parquet joined with tracks.parquet (codec, bit rate, size): the command's only read of the outputs.</summary>
    private static List<DuplicateReviewRow> ReadRows(string outputFolder)
    {
        var tracks = ParquetRows.Read<TrackQuality>(Path.Combine(outputFolder, TracksTable.FileName)).ToDictionary(t => t.TrackId!.Value);
        return ParquetRows.Read<DuplicateMember>(Path.Combine(outputFolder, DuplicatesTable.FileName))
            .OrderBy(d => d.GroupId).ThenBy(d => d.Path, StringComparer.Ordinal)
            .Select(d =>
            {
                var track = tracks.GetValueOrDefault(d.TrackId!.Value);
                return new DuplicateReviewRow(d.GroupId!.Value, d.IsCanonical == true, d.Path!, d.Reason!, d.DecidedBy, d.MatchedBy, d.Similarity ?? 0,
                    track?.Codec, track?.BitRateBps, track?.SizeBytes);
            })
            .ToList();
    }

    private sealed class DuplicateMember
    {
        [JsonPropertyName("group_id")] public int? GroupId { get; set; }
        [JsonPropertyName("track_id")] public long? TrackId { get; set; }
        [JsonPropertyName("is_canonical")] public bool? IsCanonical { get; set; }
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("reason")] public string? Reason { get; set; }
        [JsonPropertyName("decided_by")] public string? DecidedBy { get; set; }
        [JsonPropertyName("matched_by")] public string? MatchedBy { get; set; }
        [JsonPropertyName("similarity")] public double? Similarity { get; set; }
    }

    private sealed class TrackQuality
    {
        [JsonPropertyName("track_id")] public long? TrackId { get; set; }
        [JsonPropertyName("codec")] public string? Codec { get; set; }
        [JsonPropertyName("bit_rate_bps")] public int? BitRateBps { get; set; }
        [JsonPropertyName("size_bytes")] public long? SizeBytes { get; set; }
    }
}
