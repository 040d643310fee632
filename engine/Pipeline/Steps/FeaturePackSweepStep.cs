using SSIS.Batch.Engine.FeaturePacks;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>
/// The last step, so it runs only when every other one succeeded: the packs folder is left with this run's packs. A pack
/// of a file gone from the catalog, or no longer segmented whole, is deleted; a pack of an older version belongs to one
/// of those, since the feature_packs step rewrote the packs of this run's files at the current version.
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
        var deleted = StalePacks.Delete(folder, FeaturePackStep.Inputs(run).Select(i => i.TrackId).ToHashSet());
        run.Progress.Message($"{Name}: {deleted.Count} stale pack(s) deleted from {folder}");
        return Task.CompletedTask;
    }
}
