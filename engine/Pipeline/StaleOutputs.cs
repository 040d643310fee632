using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Engine.Pipeline;

/// <summary>
/// The files a run may write into its output folder. A rerun removes those it did not write this time (the tables of a
/// stage now off, the model of a run that trained none), so no command, notebook or player reads an earlier run's
/// result as this run's.
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

    /// <summary>Deletes the files of <see cref="Names"/> in <paramref name="outputFolder"/> that are not in <paramref name="written"/>; returns their names.</summary>
    public static IReadOnlyList<string> Remove(string outputFolder, IEnumerable<string> written)
    {
        var kept = written.ToHashSet(StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (var name in Names.Where(name => !kept.Contains(name)))
        {
            var path = Path.Combine(outputFolder, name);
            if (!File.Exists(path)) continue;
            File.Delete(path);
            removed.Add(name);
        }
        return removed;
    }
}
