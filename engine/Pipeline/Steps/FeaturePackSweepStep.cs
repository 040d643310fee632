using SSIS.Batch.Engine.FeaturePacks;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>
/// The last step, so it runs only when every other one succeeded: the packs folder is left with this run's packs. A pack
/// of a file gone from the catalog, or settled this run as no longer segmented whole, is deleted; a pack of an older
/// version belongs to one of those, since the feature_packs step rewrote the packs of this run's files at the current
/// version. A pack that cannot be deleted is a warning, not a failed run: every output is written by then.
/// </summary>
public sealed class FeaturePackSweepStep : IRunStep
{
    public const string StageName = "feature_packs sweep";

    public string Name => StageName;
    public string Description => "optional (`feature_packs.enabled`), after every other step succeeded: deletes the packs in feature_packs/ of files this run did not pack (gone from the catalog, no longer segmented whole)";
    public StepScope Scope => StepScope.Library;
    public bool IsEnabled(JobOptions options) => new FeaturePackStep().IsEnabled(options);

    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(run.Options.OutputFolder, FeaturePackLayout.FolderName);
        var deleted = StalePacks.Delete(folder, Kept(run), (path, e) => run.Warn($"{Name}: {path} was not deleted: {e.Message}"));
        run.Progress.Message($"{Name}: {deleted.Count} stale pack(s) deleted from {folder}");
        return Task.CompletedTask;
    }

    /// <summary>
    /// The tracks whose packs stay: this run's packs, and every catalog entry this run could not settle (unavailable,
    /// failed, or its whole-file decode failed), so a library disk that is not mounted does not cost the packs.
    /// </summary>
    private static HashSet<long> Kept(RunContext run)
    {
        var kept = FeaturePackStep.Inputs(run).Select(i => i.TrackId).ToHashSet();
        kept.UnionWith(run.Rows.Where(r => !r.IsOk).Select(r => r.Probe.Track.TrackId));
        kept.UnionWith(run.Segments.Where(s => s.Error is not null).Select(s => s.Input.TrackId));
        return kept;
    }
}
