using SSIS.Batch.Engine.Catalog;

namespace SSIS.Batch.Engine.Pipeline.Steps;

/// <summary>The library's entries, read once from the Clementine database or the folder.</summary>
public sealed class CatalogStep : IRunStep
{
    /// <summary>Folders a warning names at most; it counts the rest.</summary>
    private const int MaxFoldersNamed = 5;

    public string Name => "catalog";
    public string Description => "the library's entries, read once from the Clementine database or the folder";
    public StepScope Scope => StepScope.PerFile;
    public bool IsEnabled(JobOptions options) => true;

    public Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var catalog = run.Options.Catalog;
        run.Progress.Message($"Reading catalog {catalog.Description}");
        run.Tracks = catalog.ReadTracks(cancellationToken).ToList();
        if (catalog is FolderCatalog { SkippedFolders: { Count: > 0 } skipped })
            run.Warn($"{skipped.Count} folder(s) could not be listed, so their files are not in this run: " +
                     string.Join("; ", skipped.Take(MaxFoldersNamed).Select(f => $"{f.Path}: {f.Reason}")) +
                     (skipped.Count > MaxFoldersNamed ? $"; and {skipped.Count - MaxFoldersNamed} more" : ""));
        return Task.CompletedTask;
    }
}
