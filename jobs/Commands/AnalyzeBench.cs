using SSIS.Batch.Engine.Segments;
using System.Diagnostics;
using System.Globalization;
using SSIS.Batch.Engine.Analysis;
using SSIS.Batch.Engine.Audio;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Probe;
using SSIS.Batch.Engine.Speech;
using SSIS.Batch.Engine.State;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// <c>ssis bench analyze FOLDER</c>: files/s of the analysis (decode + features + QC + speech gate) and, in the same run
/// with the same worker count, of the ffmpeg command line decoding the same centre crops alone, one process per file
/// (as the Python seeds do). Rounds alternate the two so a passing load on the machine hits both; prints each round's
/// ratio and the CPU milliseconds each side spent per file, their medians, and the peak working set.
/// </summary>
public static class AnalyzeBench
{
    public static int Run(string folder, int? workersOption, int rounds, SpeechOptions speech, TextWriter output)
    {
        var workers = workersOption ?? Workers.Default;
        var tracks = BenchLibrary.Probe(folder);
        var spec = new CropSpec();
        var (detectors, signature) = SpeechDetectors.Choose(speech, new SegmentOptions(), out var fallback);
        if (fallback is not null) output.WriteLine(fallback);
        var stage = new AnalysisStage(new CropDecoder(new AudioDecoder(), spec), detectors, new Dictionary<string, CachedAnalysis>(),
            new HashSet<string>(), keepLogMel: false);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers };

        Parallel.ForEach(tracks.Take(workers * 2), parallel, t => stage.Analyze(t));
        var codecs = string.Join(", ", tracks.GroupBy(t => t.Properties!.Codec).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}"));
        output.WriteLine($"analyze bench: {tracks.Count} files under {folder} ({codecs}), {workers} workers, {spec.CropSeconds:0} s centre crops, page cache warm");
        output.WriteLine($"  ssis analysis = decode + features + QC + speech ({signature}); ffmpeg = the same crops decoded to 22,050 Hz mono, one process per file");
        var ratios = new List<double>();
        var oursCpuMs = new List<double>();
        var ffmpegCpuMs = new List<double>();
        var failed = 0;
        for (var round = 1; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            // The analysis's own CPU and that of the ffmpeg processes it starts for what libsndfile cannot open.
            var cpu = CpuTime.SelfSeconds() + CpuTime.ChildrenSeconds();
            Parallel.ForEach(tracks, parallel, t =>
            {
                if (stage.Analyze(t).Error is not null) Interlocked.Increment(ref failed);
            });
            var oursRate = tracks.Count / clock.Elapsed.TotalSeconds;
            oursCpuMs.Add((CpuTime.SelfSeconds() + CpuTime.ChildrenSeconds() - cpu) / tracks.Count * 1000);
            clock.Restart();
            var childrenCpu = CpuTime.ChildrenSeconds();
            Parallel.ForEach(tracks, parallel, t => FfmpegCrop(t.Track.Path, spec.Span(t.Properties!.DurationSeconds)));
            var ffmpegRate = tracks.Count / clock.Elapsed.TotalSeconds;
            ffmpegCpuMs.Add((CpuTime.ChildrenSeconds() - childrenCpu) / tracks.Count * 1000);
            ratios.Add(oursRate / ffmpegRate);
            output.WriteLine($"  round {round}: ssis {oursRate,6:0.0} files/s ({oursCpuMs[^1],5:0.0} ms CPU a file), " +
                             $"ffmpeg {ffmpegRate,6:0.0} files/s ({ffmpegCpuMs[^1],5:0.0} ms CPU a file), ratio {oursRate / ffmpegRate:0.00}x");
        }
        stage.ReleaseDetectors();
        output.WriteLine($"  median ratio: {Median(ratios):0.00}x over {rounds} rounds ({failed} failed analyses)");
        // CPU time is what a loaded machine does not distort (the ffmpeg side is its processes' CPU, start-up included).
        output.WriteLine($"  median CPU per file: ssis {Median(oursCpuMs):0.0} ms, ffmpeg {Median(ffmpegCpuMs):0.0} ms");
        output.WriteLine($"  peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0} MB");
        return 0;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static void FfmpegCrop(string path, (double StartSeconds, double LengthSeconds) span)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
                 {
                     "-v", "error", "-nostdin", "-ss", span.StartSeconds.ToString("R", CultureInfo.InvariantCulture),
                     "-t", span.LengthSeconds.ToString("R", CultureInfo.InvariantCulture), "-i", path, "-ac", "1", "-ar", "22050", "-f", "f32le", "pipe:1",
                 })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start ffmpeg: apt-get install ffmpeg");
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(Stream.Null);
        process.WaitForExit();
        _ = errors.Result;
    }
}
