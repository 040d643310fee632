using System.Text.RegularExpressions;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Rating;
using SSIS.Batch.Engine.Report;
using SSIS.Batch.Jobs.Config;
using SSIS.Batch.Jobs.Demo;
using SSIS.Batch.Tests.Pipeline;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Report;

public class ReportTests
{
    /// <summary>An src, href or CSS url() that leaves the file: the page must work offline.</summary>
    private static readonly Regex ExternalResource = new(@"(src|href)\s*=\s*[""']?\s*(https?:|//)|url\(|@import|<script|<link", RegexOptions.IgnoreCase);

    [Fact]
    public async Task The_demo_run_writes_a_self_contained_report_that_chromium_renders_without_console_errors()
    {
        using var folder = new TempFolder();
        DemoLibraryBuilder.Build(Repo.WesnothMusic, Repo.PlanetBlupiMusic, folder.File("demo"), TextWriter.Null);
        var config = folder.Write("configs/demo.yaml", File.ReadAllBytes(Path.Combine(Repo.Root, "configs", "demo.yaml")));
        var options = JobConfig.Load(config);

        var summary = await new JobRunner(options, new RecordingProgress()).RunAsync();

        Assert.True(summary.Rating?.Recommended > 0, summary.RatingSkipped);
        var path = Path.Combine(options.OutputFolder, HtmlReport.FileName);
        var html = File.ReadAllText(path);
        Assert.True(Regex.Count(html, "<svg") >= 4, $"{Regex.Count(html, "<svg")} plots");
        Assert.DoesNotMatch(ExternalResource, html);
        Assert.True(new FileInfo(path).Length < 5_000_000);
        // The demo's errors, its duplicate group and its recommendations' reasons are on the page.
        Assert.Contains("FILE_CORRUPT", html);
        // The library table counts the demo's long file as skipped, apart from the errors.
        Assert.Equal(1, summary.Counts.Skipped);
        Assert.Contains("<th>errors</th><th>skipped</th><th>unavailable</th>", html);
        Assert.Contains($"<td class=\"n\">{summary.Counts.Errors}</td><td class=\"n\">1</td><td class=\"n\">{summary.Counts.Unavailable}</td>", html);
        Assert.Contains("<b>canonical</b>", html);
        Assert.Contains("close to ", html);

        var (report, console) = Chromium.Screenshot(path, folder.File("report.png"));
        Assert.DoesNotContain("CONSOLE", console);
        var (blank, _) = Chromium.Screenshot(folder.Write("blank.html", "<!DOCTYPE html><html><body></body></html>"u8.ToArray()), folder.File("blank.png"));
        Assert.Equal(1, blank.DistinctColours());
        Assert.True(report.DistinctColours() > 100, $"{report.DistinctColours()} colours in the screenshot");
        Assert.True(Regex.Count(Chromium.DumpDom(path, folder.File("dom")), "<svg") >= 4);

        // A section whose input went missing after the run says so; the others are drawn as before.
        File.Delete(Path.Combine(options.OutputFolder, RatingModel.FileName));
        var rebuilt = File.ReadAllText(HtmlReport.Write(options.OutputFolder));
        Assert.Contains("This section could not be drawn: FileNotFoundException", rebuilt);
        Assert.Contains("ndcg_at_10", rebuilt); // model_metrics.json is still there
        Assert.Equal(Regex.Count(html, "<svg") - 2, Regex.Count(rebuilt, "<svg")); // calibration and ROC
    }

    [Fact]
    public async Task Without_ratings_the_model_section_says_why_and_ssis_report_rebuilds_the_page()
    {
        using var folder = new TempFolder();
        var library = TestJobs.TwoToneLibrary(folder);
        AudioFactory.Tone(Path.Combine(library, "c.mp3"), "cbr.mp3", 6.0, 880);
        var options = TestJobs.OverFolder(folder, library, 1, GroupingMode.Strict);
        var summary = await new JobRunner(options, new RecordingProgress()).RunAsync();
        var path = Path.Combine(options.OutputFolder, HtmlReport.FileName);
        File.Delete(path);

        var (exit, output, errors) = SsisProcess.Run(folder.Path, "report", options.OutputFolder);

        Assert.Equal((0, ""), (exit, errors));
        Assert.Equal(Path.GetFullPath(path), output.Trim());
        var html = File.ReadAllText(path);
        Assert.Contains(System.Net.WebUtility.HtmlEncode($"No rating model: {summary.RatingSkipped}"), html);
        Assert.Contains("No file failed.", html);
    }

    [Fact]
    public async Task A_report_that_cannot_be_written_is_a_warning_and_the_run_still_finishes()
    {
        using var folder = new TempFolder();
        var library = folder.File("library");
        AudioFactory.Tone(Path.Combine(library, "a.ogg"), "ogg", 4.0);
        var options = TestJobs.OverFolder(folder, library, 1, GroupingMode.Strict);
        // A folder where the page should go: the rename onto it fails.
        Directory.CreateDirectory(Path.Combine(options.OutputFolder, HtmlReport.FileName, "in-the-way"));
        var progress = new RecordingProgress();

        var summary = await new JobRunner(options, progress).RunAsync();

        Assert.Equal(1, summary.Counts.Ok);
        Assert.Contains(progress.Messages, m => m.StartsWith($"warning: {HtmlReport.FileName} not written", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(options.OutputFolder, "run.json")));
    }
}
