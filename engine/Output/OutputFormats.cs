namespace SSIS.Batch.Engine.Output;

/// <summary>The file formats a table is written in (YAML <c>output.formats</c>): Parquet, Arrow IPC (Feather v2), or both.</summary>
[Flags]
public enum OutputFormats
{
    Parquet = 1,
    Arrow = 2,
}

public static class OutputFormatNames
{
    /// <summary>The formats in the order the tables are written, with the names YAML uses.</summary>
    public static readonly IReadOnlyList<(string Name, OutputFormats Format)> All = [("parquet", OutputFormats.Parquet), ("arrow", OutputFormats.Arrow)];

    /// <summary>The single formats <paramref name="formats"/> holds, Parquet first.</summary>
    public static IEnumerable<OutputFormats> Each(this OutputFormats formats) => All.Select(f => f.Format).Where(f => formats.HasFlag(f));

    public static string Extension(this OutputFormats format) => format switch
    {
        OutputFormats.Parquet => ".parquet",
        OutputFormats.Arrow => ".arrow",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "one format, not a combination"),
    };

    /// <summary>The formats a run wrote <paramref name="table"/> in, found by its files in <paramref name="outputFolder"/>.</summary>
    public static OutputFormats Present(string outputFolder, TableSchema table) =>
        All.Select(f => f.Format).Where(f => File.Exists(Path.Combine(outputFolder, table.FileName(f))))
            .Aggregate((OutputFormats)0, (all, f) => all | f);
}
