using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Embedding;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Rating;

namespace SSIS.Batch.Tests.Support;

/// <summary>The job most pipeline tests run: a folder catalog, output and state inside the test's temp folder.</summary>
public static class TestJobs
{
    /// <summary>
    /// Pinned to the dsp encoder alone: these tests are not about the rating model's input, and the default's contrastive
    /// network would be trained in each of them and make the state keep every track's log-mel excerpt. DemoJobTests runs
    /// the default job.
    /// </summary>
    public static JobOptions OverFolder(TempFolder folder, string library, int workers, GroupingMode mode) =>
        new(new FolderCatalog(library, FolderCatalog.DefaultExtensions), folder.File("out"), folder.File("state"), workers, mode, 2.0,
            Embed: new EmbedOptions([Encoders.DspName]), Rating: new RatingOptions(Encoder: Encoders.DspName));

    /// <summary>The smallest library most run tests need: <c>library/a.ogg</c> (4 s at 440 Hz) and <c>library/b.flac</c> (5 s at 660 Hz).</summary>
    public static string TwoToneLibrary(TempFolder folder)
    {
        var library = folder.File("library");
        AudioFactory.Tone(Path.Combine(library, "a.ogg"), "ogg", 4.0);
        AudioFactory.Tone(Path.Combine(library, "b.flac"), "flac", 5.0, 660);
        return library;
    }
}
