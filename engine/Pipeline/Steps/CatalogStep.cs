using SSIS.Batch.Engine.Catalog;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>The library's entries, read once from the Clementine database or the folder.</summary>
public sealed class CatalogStep : IRunStep
{
    public string Name => "catalog";
    public string Description => "the library's entries, read once from the Clementine database or the folder";
    public StepScope Scope => StepScope.PerFile;
    public bool IsEnabled(JobOptions options) => true;

    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var catalog = run.Options.Catalog;
        run.Progress.Message($"Reading catalog {catalog.Description}");
        run.Tracks = catalog.ReadTracks(cancellationToken).ToList();
        if (catalog is FolderCatalog { SkippedFolders: > 0 } folders)
            run.Progress.Message($"{folders.SkippedFolders} folder(s) could not be listed (permission or I/O error): their files are not in this run");
        return Task.CompletedTask;
    }
}
