using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Pipeline;

namespace SSIS.Batch.Tests.Support;

/// <summary>The job most pipeline tests run: a folder catalog, output and state inside the test's temp folder.</summary>
public static class TestJobs
{
    public static JobOptions OverFolder(TempFolder folder, string library, int workers, GroupingMode mode) =>
        new(new FolderCatalog(library, FolderCatalog.DefaultExtensions), folder.File("out"), folder.File("state"), workers, mode, 2.0);
}
