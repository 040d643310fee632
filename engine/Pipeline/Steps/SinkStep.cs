using SSIS.Batch.Engine.Learning;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.Segments;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>The library's tables, in every format the job asks for (each written to a temp file, then renamed).</summary>
public sealed class SinkStep : IRunStep
{
    public string Name => "sink";
    public string Description => "the library's tables, in every format the job asks for";
    public StepScope Scope => StepScope.Library;
    public bool IsEnabled(JobOptions options) => true;

    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var folder = options.OutputFolder;
        var formats = options.Formats;
        run.Progress.Message($"Writing outputs to {folder}");
        Directory.CreateDirectory(folder);
        var outputs = run.Outputs;
        outputs.AddRange(TracksTable.Write(folder, run.Rows, formats));
        outputs.AddRange(GroupsTable.Write(folder, run.Candidates, formats));
        if (options.AnalysisSettings.Enabled)
        {
            // The feature statistics and the vectors are read back from the state store a batch at a time as the tables are written.
            outputs.AddRange(AnalysisTable.Write(folder, run.StoredAnalyses.WithFeatures(run.Analyzed), run.SpeechVerdicts, formats));
            if (options.AnalysisSettings.WriteMel)
            {
                // One track's frames at a time, read back from the store as the table is written.
                outputs.AddRange(MelTable.Write(folder, run.Analyzed.Where(a => a.Analysis is not null)
                    .Select(a => a with { LogMelDb = run.Store.LoadLogMel(a.Track.Track.Path, a.Track.Stamp!.Value)?.ToPooledDb() is { } mel ? Rows(mel) : null }),
                    formats));
            }
            var encoderRuns = run.EncoderRuns.Select(r => r.Run).ToList();
            outputs.AddRange(EmbeddingsTable.Write(folder, encoderRuns.SelectMany(r => run.StoredEmbeddings.Read(r, run.Analyzed)), encoderRuns, formats));
            if (options.Classifiers.Count > 0) outputs.AddRange(ClassificationsTable.Write(folder, run.Classifications, formats));
        }
        if (options.SegmentSettings.Files != SegmentFiles.None)
        {
            outputs.AddRange(SegmentsTable.Write(folder, run.Segments, formats));
            outputs.AddRange(PreviewsTable.Write(folder, run.Previews, formats));
        }
        if (options.FingerprintSettings.Enabled)
        {
            outputs.AddRange(FingerprintsTable.Write(folder, options.FingerprintSettings.Source, run.Fingerprinted, formats));
            outputs.AddRange(DuplicatesTable.Write(folder, run.Duplicates, formats));
        }
        outputs.Add(RunSummary.FileName);
        run.ReleaseWrittenRecords();
        return Task.CompletedTask;
    }

    /// <summary>A matrix's rows as arrays (mel.parquet's frames).</summary>
    private static float[][] Rows(Matrix matrix) => Enumerable.Range(0, matrix.Rows).Select(r => matrix.Row(r).ToArray()).ToArray();
}
