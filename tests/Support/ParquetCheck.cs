using System.Text.Json;

namespace SSIS.Batch.Tests.Support;

/// <summary>Reads a Parquet file with hyparquet (pure JavaScript, tools/parquet-check): a reader independent of the engine's Parquet.Net.</summary>
public static class ParquetCheck
{
    public sealed record Column(string Name, string Type, string? Logical, bool? AdjustedToUtc);

    public sealed record Result(long Rows, int RowGroups, IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<Column> Columns,
        IReadOnlyList<JsonElement> Data);

    public static Result Read(string parquetPath)
    {
        using var document = JsonDocument.Parse(IndependentReaders.Run("read.mjs", "hyparquet", parquetPath));
        var root = document.RootElement;
        var columns = root.GetProperty("columns").EnumerateArray()
            .Select(c => new Column(c.GetProperty("name").GetString()!, c.GetProperty("type").GetString()!,
                c.GetProperty("logical").ValueKind == JsonValueKind.String ? c.GetProperty("logical").GetString() : null,
                c.GetProperty("utc").ValueKind is JsonValueKind.True or JsonValueKind.False ? c.GetProperty("utc").GetBoolean() : null))
            .ToList();
        return new Result(root.GetProperty("rows").GetInt64(), root.GetProperty("rowGroups").GetInt32(),
            IndependentReaders.Strings(root.GetProperty("metadata")), columns,
            root.GetProperty("data").EnumerateArray().Select(e => e.Clone()).ToList());
    }
}

/// <summary>Reads an Arrow IPC file with apache-arrow (JavaScript, tools/parquet-check): a reader independent of the engine's Apache.Arrow.</summary>
public static class ArrowCheck
{
    public sealed record Column(string Name, string Type, IReadOnlyDictionary<string, string> Metadata);

    public sealed record Result(long Rows, int Batches, IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<Column> Columns,
        IReadOnlyList<JsonElement> Data);

    public static Result Read(string arrowPath)
    {
        using var document = JsonDocument.Parse(IndependentReaders.Run("read-arrow.mjs", "apache-arrow", arrowPath));
        var root = document.RootElement;
        var columns = root.GetProperty("columns").EnumerateArray()
            .Select(c => new Column(c.GetProperty("name").GetString()!, c.GetProperty("type").GetString()!, IndependentReaders.Strings(c.GetProperty("metadata"))))
            .ToList();
        return new Result(root.GetProperty("rows").GetInt64(), root.GetProperty("batches").GetInt32(), IndependentReaders.Strings(root.GetProperty("metadata")),
            columns, root.GetProperty("data").EnumerateArray().Select(e => e.Clone()).ToList());
    }

    /// <summary>
    /// Every .parquet file among a run's <paramref name="outputs"/> has its .arrow file beside it, listed too, with the
    /// same metadata and rows, each file read by its independent reader. Returns the tables compared.
    /// </summary>
    public static IReadOnlyList<string> AssertEveryArrowFileMatchesItsParquet(string outputFolder, IReadOnlyList<string> outputs)
    {
        var parquetFiles = outputs.Where(o => o.EndsWith(".parquet", StringComparison.Ordinal)).ToList();
        foreach (var file in parquetFiles)
        {
            var arrowFile = Path.ChangeExtension(file, ".arrow");
            Assert.Contains(arrowFile, outputs);
            var parquet = ParquetCheck.Read(Path.Combine(outputFolder, file));
            var arrow = Read(Path.Combine(outputFolder, arrowFile));
            Assert.Equal(parquet.Rows, arrow.Rows);
            Assert.Equal(parquet.Metadata[Engine.Output.TableSchema.ColumnsKey], arrow.Metadata[Engine.Output.TableSchema.ColumnsKey]);
            for (var r = 0; r < parquet.Rows; r++) AssertSameRow(parquet.Data[r], arrow.Data[r]);
        }
        return parquetFiles.Select(f => Path.GetFileNameWithoutExtension(f)).ToList();
    }

    /// <summary>Two readers' rows agree value for value (hyparquet leaves a null list out of the row; that is null too).</summary>
    public static void AssertSameRow(JsonElement parquet, JsonElement arrow)
    {
        foreach (var column in arrow.EnumerateObject())
            Assert.Equal(column.Value.GetRawText(), parquet.TryGetProperty(column.Name, out var value) ? value.GetRawText() : "null");
    }
}

internal static class IndependentReaders
{
    private static readonly string Folder = Path.Combine(Repo.Root, "tools", "parquet-check");

    public static string Run(string script, string package, string path)
    {
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", package)))
            throw new InvalidOperationException($"{package} is not installed: run './run.sh setup'.");
        return Tools.Run("node", Path.Combine(Folder, script), path);
    }

    public static IReadOnlyDictionary<string, string> Strings(JsonElement map) =>
        map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
}
