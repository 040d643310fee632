using System.Diagnostics;
using SSIS.Batch.Engine.Catalog;
using SSIS.Batch.Engine.Pipeline;
using SSIS.Batch.Engine.Probe;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>
/// <c>ssis bench probe FOLDER</c>: files/s of the header probe and, in the same run with the same worker count, of
/// one ffprobe process per file (as scripts do), and their ratio. The page cache is warmed first.
/// </summary>
public static class ProbeBench
{
    public sealed record Result(int Files, int Workers, double ProbeFilesPerSecond, int FfprobeFiles, double FfprobeFilesPerSecond, int HeaderHits)
    {
        public double Ratio => ProbeFilesPerSecond / FfprobeFilesPerSecond;
    }

    public static Result Measure(string folder, int workers, int ffprobeSample, double minSeconds = 2.0)
    {
        var files = new FolderCatalog(folder, FolderCatalog.DefaultExtensions).ReadTracks().Select(t => t.Path).ToList();
        if (files.Count == 0) throw new CatalogException($"No audio files under {folder}.");
        var prober = new AudioProber(new FfprobeReader());
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers };
        // Warm-up (page cache, JIT); files the header readers cannot answer go to ffprobe and are timed with it below.
        var answered = files.Where(f => prober.Probe(f).Method == ProbeMethod.Header).ToList();
        if (answered.Count == 0) throw new CatalogException($"No file under {folder} has headers the probe reads.");

        var clock = Stopwatch.StartNew();
        long probed = 0;
        do
        {
            Parallel.ForEach(answered, parallel, f => prober.Probe(f));
            probed += answered.Count;
        } while (clock.Elapsed.TotalSeconds < minSeconds);
        var probeRate = probed / clock.Elapsed.TotalSeconds;

        var ffprobe = new FfprobeReader();
        var sample = files.Take(Math.Min(ffprobeSample, files.Count)).ToList();
        clock.Restart();
        Parallel.ForEach(sample, parallel, f => ffprobe.Probe(f));
        var ffprobeRate = sample.Count / clock.Elapsed.TotalSeconds;
        return new Result(files.Count, workers, probeRate, sample.Count, ffprobeRate, answered.Count);
    }

    public static int Run(string folder, int? workers, int ffprobeSample, TextWriter output)
    {
        var result = Measure(folder, workers ?? Workers.Default, ffprobeSample);
        output.WriteLine($"probe bench: {result.Files} files under {folder}, {result.Workers} workers, page cache warm");
        output.WriteLine($"  header readers answered {result.HeaderHits} of {result.Files} files (the rest fell back to ffprobe)");
        output.WriteLine($"  ssis probe : {result.ProbeFilesPerSecond,10:0} files/s");
        output.WriteLine($"  ffprobe    : {result.FfprobeFilesPerSecond,10:0.0} files/s ({result.FfprobeFiles} files, one process each)");
        output.WriteLine($"  ratio      : {result.Ratio,10:0.0}x");
        return 0;
    }
}
