using System.Text.RegularExpressions;
using SSIS.Batch.Engine.Grouping;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Jobs.Progress;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Progress;

public class ProgressDisplayTests
{
    /// <summary>Stages as a real run shows them, from its start to its cached rerun; the times are given, not measured.</summary>
    private static readonly StageSnapshot[] Stages =
    [
        new("probe", 58, 58, 0, TimeSpan.FromSeconds(0.65), true),
        new("analysis", 20, 54, 0, TimeSpan.FromSeconds(4.0), false),
        new("embed contrastive-5345301cb4d5", 0, 54, 0, TimeSpan.FromSeconds(0.01), false),
        new(ProgressStages.ContrastiveTraining, 12, 30, 0, TimeSpan.FromSeconds(14), false),
        new(ProgressStages.RatingModel, 1, 1, 0, TimeSpan.FromSeconds(2.5), true),
        new("probe", 1_234_567, 2_000_000, 1_200_000, TimeSpan.FromSeconds(3725), false),
        new("fingerprint", 99_999, 99_999, 99_999, TimeSpan.FromSeconds(0.3), true),
    ];

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void Every_stage_line_fits_the_width_and_the_columns_align(int width)
    {
        var lines = Stages.Select(s => ProgressLine.Format(s, width)).ToList();

        Assert.All(lines, l => Assert.Equal(width, l.Length));
        // The n/N column ends at the same place on every line.
        var countEnds = lines.Select(l => Regex.Match(l, @"\d[\d,.kM]*/[\d,.kM]+").Index + Regex.Match(l, @"\d[\d,.kM]*/[\d,.kM]+").Length).Distinct();
        Assert.Single(countEnds);
        Assert.StartsWith("embed contrastiv… ", lines[2]);
    }

    [Fact]
    public void A_line_shows_n_of_N_the_rate_of_work_done_and_the_time_left()
    {
        var analysis = ProgressLine.Format(Stages[1], 80);
        Assert.Contains(" 20/54 ", analysis);
        Assert.Contains(" 5.00/s ", analysis); // 20 files in 4 s
        Assert.EndsWith("ETA 6.8 s", analysis); // 34 left at 5/s
        Assert.Equal(Math.Round(20.0 / 54 * (80 - ProgressLine.FixedWidth)), analysis.Count(c => c == '█'));

        Assert.EndsWith("in 2.5 s", ProgressLine.Format(Stages[4], 80));
        Assert.Contains(" 12/30 ", ProgressLine.Format(Stages[3], 80));
    }

    [Fact]
    public void Cache_hits_are_counted_apart_and_left_out_of_the_rate()
    {
        var large = ProgressLine.Format(Stages[5], 80);
        Assert.Contains(" 1234k/2000k ", large);
        Assert.Contains(" 1200k cached ", large);
        Assert.Contains(" 9.28/s ", large); // 34,567 worked in 3,725 s, not 331/s
        Assert.EndsWith("ETA 23 h", large); // 765,433 left at 9.28/s

        // A stage served wholly from the cache did no work: no rate at all (it used to show 333,330/s).
        var cached = ProgressLine.Format(Stages[6], 80);
        Assert.Contains(" 99,999 cached ", cached);
        Assert.Contains(" no work ", cached);
        Assert.DoesNotMatch(@"\d/s", cached);
    }

    [Fact]
    public async Task A_cached_rerun_reports_its_cache_hits_per_stage_and_plain_lines_fit_80_columns()
    {
        using var folder = new TempFolder();
        var library = TestJobs.TwoToneLibrary(folder);
        var options = TestJobs.OverFolder(folder, library, 1, GroupingMode.Strict);
        await new JobRunner(options, new PlainProgress(TextWriter.Null)).RunAsync();

        var output = new StringWriter();
        await new JobRunner(options, new PlainProgress(output)).RunAsync();

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var done = lines.Where(l => l.EndsWith(" done")).ToList();
        Assert.Contains(done, l => Regex.IsMatch(l, @"^probe\s+2/2\s+2 cached\s+no work\s+in "));
        Assert.Contains(done, l => Regex.IsMatch(l, @"^analysis\s+2/2\s+2 cached\s+no work\s+in "));
        Assert.Contains(done, l => Regex.IsMatch(l, @"^embed dsp-v1\s+2/2\s+2 cached\s+no work\s+in "));
        Assert.All(done, l => Assert.True(l.Length <= 80 + " done".Length, l));
    }
}

public class LiveProgressTests
{
    private static readonly Regex Escape = new(@"\x1b\[[0-9;?]*[A-Za-z]");

    [Fact]
    public async Task The_live_display_on_an_80_column_terminal_keeps_each_stage_on_one_line_within_it()
    {
        var screen = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
        {
            Ansi = Spectre.Console.AnsiSupport.Yes,
            ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
            Interactive = Spectre.Console.InteractionSupport.Yes,
            Out = new Spectre.Console.AnsiConsoleOutput(screen),
        });
        console.Profile.Width = 80;

        await LiveProgress.RunAsync(console, async progress =>
        {
            progress.Message("Reading catalog clementine:/home/someone/.config/Clementine/clementine.db, a path longer than the screen is wide");
            progress.StageStarted("probe", 58);
            progress.FromCache("probe", 56);
            progress.Advanced("probe", 58);
            progress.StageFinished("probe");
            progress.StageStarted("embed contrastive-5345301cb4d5", 54);
            progress.Advanced("embed contrastive-5345301cb4d5", 20);
            progress.StageStarted(ProgressStages.RatingModel, 1);
            await Task.Delay(600); // a refresh or two of the display, which then shows every stage (nothing is timed)
        });

        var lines = Escape.Replace(screen.ToString(), "").Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(l => l.Trim().Length > 0).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^probe\s+█+\s+58/58\s+56 cached\s+.*in \d"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^embed contrastiv… [█░]+\s+20/54 "));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^rating model\s+░+\s+0/1"));
        Assert.Contains(lines, l => l.StartsWith("Reading catalog clementine:"));
    }
}
