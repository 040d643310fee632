using System.Globalization;
using System.Text.Json;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.FeaturePacks;

/// <summary>
/// A time range of a pack as hyparquet reads it with its statistics-based row-group pruning (tools/parquet-check/
/// read-range.mjs): a reader independent of the engine's Parquet.Net, which reports the bytes it fetched.
/// </summary>
public sealed record PackRangeRead(long SizeBytes, IReadOnlyList<PackRangeRead.RowGroup> RowGroups, IReadOnlyList<(long Start, long End)> Fetched,
    IReadOnlyList<JsonElement> Rows)
{
    public sealed record RowGroup(long Rows, double Min, double Max, long Start, long End);

    public static PackRangeRead Read(string packPath, double fromSeconds, double toSeconds)
    {
        var folder = Path.Combine(Repo.Root, "tools", "parquet-check");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "hyparquet")))
            throw new InvalidOperationException("hyparquet is not installed: run './run.sh setup'.");
        var json = Tools.Run("node", Path.Combine(folder, "read-range.mjs"), packPath, "start_s",
            fromSeconds.ToString("R", CultureInfo.InvariantCulture), toSeconds.ToString("R", CultureInfo.InvariantCulture));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new PackRangeRead(root.GetProperty("size").GetInt64(),
            root.GetProperty("rowGroups").EnumerateArray().Select(g => new RowGroup(g.GetProperty("rows").GetInt64(), g.GetProperty("min").GetDouble(),
                g.GetProperty("max").GetDouble(), g.GetProperty("start").GetInt64(), g.GetProperty("end").GetInt64())).ToList(),
            root.GetProperty("fetched").EnumerateArray().Select(r => (r[0].GetInt64(), r[1].GetInt64())).ToList(),
            root.GetProperty("data").EnumerateArray().Select(r => r.Clone()).ToList());
    }

    /// <summary>A row's log-mel frames, [frames][bands].</summary>
    public static float[][] Frames(JsonElement row) =>
        row.GetProperty("logmel_db").EnumerateArray().Select(f => f.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();

    public static float[] Embedding(JsonElement row) => row.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray();
}
