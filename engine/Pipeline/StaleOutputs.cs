using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>
/// The files a run may write into its output folder. A rerun removes those the run before it wrote (its run.json lists
/// them) and this one did not (the tables of a stage now off, the model of a run that trained none), so no command,
/// notebook or player reads an earlier run's result as this run's. A file under another name, or written since this run
/// started, is never touched.
/// </summary>
public static class StaleOutputs
{
    /// <summary>Every table a run may write.</summary>
    public static readonly TableSchema[] Tables =
    [
        TracksTable.Schema, GroupsTable.Schema, FingerprintsTable.Schema, DuplicatesTable.Schema, AnalysisTable.Schema, MelTable.Schema,
        EmbeddingsTable.Schema, EmbeddingsTable.StatsSchema, PredictionsTable.Schema, PredictionsTable.RecommendationsSchema,
        PredictionsTable.OutOfFoldSchema, ClassificationsTable.Schema, SegmentsTable.Schema, PreviewsTable.Schema,
    ];

    private static readonly string[] OtherFiles =
        [RatingModel.FileName, RatingModel.TreesFileName, JointTrainer.EncoderFileName, RatingStep.MetricsFileName, XspfPlaylist.FileName];

    /// <summary>Every file name a run may write into its output folder, run.json and the report aside.</summary>
    public static IEnumerable<string> Names =>
        Tables.SelectMany(table => OutputFormatNames.All.Select(format => table.FileName(format.Format))).Concat(OtherFiles);

    /// <summary>The outputs the last run's run.json lists (none when there is no readable run.json).</summary>
    public static IReadOnlyList<string> Earlier(string outputFolder)
    {
        try
        {
            return File.Exists(Path.Combine(outputFolder, RunSummary.FileName)) ? RunSummary.Read(outputFolder).Outputs ?? [] : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// Deletes the files of <see cref="Names"/> that <paramref name="earlier"/> lists and <paramref name="written"/> does
    /// not (in any case: a case-insensitive file system has one file for both), last written before
    /// <paramref name="startedUtc"/>; returns their names.
    /// </summary>
    public static IReadOnlyList<string> Remove(string outputFolder, IEnumerable<string> earlier, IEnumerable<string> written, DateTime startedUtc)
    {
        var kept = written.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var known = Names.ToHashSet(StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (var name in earlier.Where(name => known.Contains(name) && !kept.Contains(name)).Distinct())
        {
            var path = Path.Combine(outputFolder, name);
            if (!File.Exists(path) || File.GetLastWriteTimeUtc(path) >= startedUtc) continue;
            File.Delete(path);
            removed.Add(name);
        }
        return removed;
    }
}
