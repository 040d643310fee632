using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>Every entry's container, stream and tags, from the file's header (cached by path, size and mtime).</summary>
public sealed class ProbeStep : IRunStep
{
    public string Name => ProbeStage.Name;
    public string Description => "each file's container, stream and tags from its header";
    public StepScope Scope => StepScope.PerFile;
    public bool IsEnabled(JobOptions options) => true;

    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var stage = new ProbeStage(run.Prober, run.Store.LoadProbeCache(), run.Options.RetryFailed);
        var shared = new SharedStrings();
        var probed = await run.ForEachFileAsync(Name, run.Tracks, stage.Probe, batch => run.Store.SaveProbes(run.RunId, batch), cancellationToken,
            keep: t => t.Compact(shared));
        // The probed records carry the catalog's entries from here on.
        run.Tracks = [];
        run.Probed = ContentIds.Unique(probed).OrderBy(t => t.Track.TrackId).ThenBy(t => t.Track.Path, StringComparer.Ordinal).ToList();
        run.ProbeCacheHits = (int)stage.CacheHits;
    }
}
