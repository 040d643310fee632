using System.Text.Json;

namespace SSIS.Batch.Tests.Support;

/// <summary>Reads a Parquet file with hyparquet (pure JavaScript, tools/parquet-check): a reader independent of DuckDB.</summary>
public static class ParquetCheck
{
    public sealed record Result(long Rows, IReadOnlyList<(string Name, string Type, string? Logical)> Columns, IReadOnlyList<JsonElement> Data);

    public static Result Read(string parquetPath)
    {
        var script = Path.Combine(Repo.Root, "tools", "parquet-check", "read.mjs");
        if (!Directory.Exists(Path.Combine(Repo.Root, "tools", "parquet-check", "node_modules", "hyparquet")))
            throw new InvalidOperationException("hyparquet is not installed: run './run.sh setup'.");
        var json = Tools.Run("node", script, parquetPath);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var columns = root.GetProperty("columns").EnumerateArray()
            .Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("type").GetString()!,
                c.GetProperty("logical").ValueKind == JsonValueKind.String ? c.GetProperty("logical").GetString() : null))
            .ToList();
        var data = root.GetProperty("data").EnumerateArray().Select(e => e.Clone()).ToList();
        return new Result(root.GetProperty("rows").GetInt64(), columns, data);
    }
}
