using SSIS.Batch.Engine.Output;
using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Segments;

/// <summary>A file too long for the crop whose whole decode breaks part-way is named in the run's warnings.</summary>
public class BrokenWholeFileTests
{
    [Fact]
    public void A_long_file_damaged_in_the_middle_keeps_its_first_segments_and_is_named_in_a_warning()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("lib"));
        var damaged = AudioFactory.MidwayDamagedMp3(folder.File("lib/damaged.mp3"), 40, 20_000);
        File.WriteAllText(folder.File("job.yaml"),
            "catalog:\n  folder: lib\noutput: out\nanalysis:\n  max_duration_s: 10\nsegments:\n  files: all\nembed:\n  encoders: [dsp]\nmodel:\n  enabled: false\n");

        var (exit, _, errors) = SsisProcess.Run(folder.Path, "run", folder.File("job.yaml"));

        Assert.True(exit == 0, errors);
        var run = RunSummary.Read(folder.File("out"));
        Assert.Equal(1, run.Counts.Skipped); // the crop's verdict: too long
        var warning = Assert.Single(run.Warnings, w => w.Contains("did not decode to the end"));
        Assert.Contains($"{damaged}: FILE_CORRUPT decoding stopped at", warning);
        var segments = ParquetCheck.Read(folder.File("out/segments.parquet")).Data.ToList();
        Assert.NotEmpty(segments);
        Assert.All(segments, s => Assert.True(s.GetProperty("end_s").GetDouble() < 30, "a segment past the damage"));
        // The report shows the file although no crop was analysed: probed (skipped is not unprobed), and segmented whole.
        var report = File.ReadAllText(folder.File("out/report.html"));
        Assert.Contains("Codecs (1 tracks probed)", report);
        Assert.Contains("1 files segmented whole into", report);
        Assert.Contains("did not decode to the end", report);
    }
}
