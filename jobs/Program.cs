using System.CommandLine;
using SSIS.Batch.Jobs.Commands;
using SSIS.Batch.Jobs.Demo;

namespace SSIS.Batch.Jobs;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var workers = new Option<int?>("--workers") { Description = "parallel workers (default: 80 % of the cores, at least 1)" };

        var config = new Argument<string>("config") { Description = "the job's YAML file" };
        var run = new Command("run", "Run a job over a library") { config, workers };
        run.SetAction((parse, token) => RunCommand.RunAsync(parse.GetValue(config)!, parse.GetValue(workers), Console.Out, Console.Error, token));

        var folder = new Argument<string>("folder") { Description = "a folder of audio files" };
        var sample = new Option<int>("--ffprobe-files") { Description = "files timed with ffprobe", DefaultValueFactory = _ => 60 };
        var benchProbe = new Command("probe", "Files/s of the probe stage against ffprobe, in the same run") { folder, workers, sample };
        benchProbe.SetAction(parse => ProbeBench.Run(parse.GetValue(folder)!, parse.GetValue(workers), parse.GetValue(sample), Console.Out));
        var bench = new Command("bench", "Throughput benchmarks against reference tools") { benchProbe };

        var music = new Argument<string>("music") { Description = "folder of tagged .ogg files (Debian wesnoth-1.16-music)" };
        var demoOut = new Argument<string>("out") { Description = "folder to build the demo library in" };
        var demo = new Command("demo-library", "Build the demo library and its Clementine database") { music, demoOut };
        demo.SetAction(parse =>
        {
            DemoLibraryBuilder.Build(parse.GetValue(music)!, parse.GetValue(demoOut)!, Console.Out);
            return 0;
        });

        var root = new RootCommand("SSIS.Batch: batch analysis of personal audio libraries") { run, bench, demo };
        return await root.Parse(args).InvokeAsync();
    }
}
