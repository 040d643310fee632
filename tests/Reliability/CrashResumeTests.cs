using System.Diagnostics;
using SSIS.Batch.Engine.Output;
using SSIS.Batch.Engine.State;
using SSIS.Batch.Jobs.Demo;
using SSIS.Batch.Tests.Support;
using Xunit.Abstractions;

namespace SSIS.Batch.Tests.Reliability;

/// <summary>SIGKILL a real run at several points across the stages; resumed runs must end with a clean run's outputs.</summary>
public class CrashResumeTests(ITestOutputHelper output)
{
    private static readonly string Ssis = Path.Combine(Repo.Root, "jobs", "bin", "Release", "net10.0", "ssis.dll");
    private static readonly string[] Outputs =
        [TracksTable.FileName, GroupsTable.FileName, AnalysisTable.FileName, FingerprintsTable.FileName, DuplicatesTable.FileName];

    [Fact]
    public void Runs_killed_at_six_points_resume_to_the_same_outputs_as_an_uninterrupted_run()
    {
        using var folder = new TempFolder();
        var database = DemoLibraryBuilder.Build(Repo.WesnothMusic, Repo.PlanetBlupiMusic, folder.File("demo"), TextWriter.Null);
        string Config(string name)
        {
            var path = folder.File($"{name}.yaml");
            File.WriteAllText(path, $"catalog: {{clementine: {database}}}\noutput: {name}\nworkers: 2\nfingerprint: {{source: acoustid}}\n");
            return path;
        }
        Tools.Run("dotnet", Ssis, "run", Config("clean"));

        var resumed = Config("resumed");
        var state = Path.Combine(folder.File("resumed"), "state", StateStore.FileName);
        (string Table, int Rows)[] killPoints =
        [
            ("probe_cache", 1), ("analysis_cache", 8), ("analysis_cache", 25), ("analysis_cache", 40),
            ("fingerprint_cache", 8), ("fingerprint_cache", 19),
        ];
        var killed = 0;
        foreach (var (table, rows) in killPoints)
        {
            using var run = Process.Start(new ProcessStartInfo("dotnet") { ArgumentList = { Ssis, "run", resumed }, RedirectStandardOutput = true })!;
            var clock = Stopwatch.StartNew();
            while (!run.HasExited && StateTables.RowCount(state, table) < rows && clock.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
            if (!run.HasExited)
            {
                run.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no flushing
                killed++;
            }
            run.WaitForExit();
            output.WriteLine($"{table} ≥ {rows}: {(run.ExitCode == 0 ? "finished before the kill" : "killed")}, {StateTables.RowCount(state, table)} rows kept");
        }
        Assert.True(killed >= 5, $"only {killed} of the runs were killed mid-way");

        var final = Tools.Run("dotnet", Ssis, "run", resumed);
        output.WriteLine(final);
        foreach (var name in Outputs)
        {
            var clean = Rows(Path.Combine(folder.File("clean"), name));
            var after = Rows(Path.Combine(folder.File("resumed"), name));
            Assert.Equal(clean.Count, after.Count);
            Assert.Equal(clean, after);
        }
        Assert.Empty(Directory.GetFiles(folder.File("resumed"), "*ssis-tmp"));
    }

    private static List<string> Rows(string parquet) =>
        ParquetCheck.Read(parquet).Data.Select(r => r.ToString()).Order(StringComparer.Ordinal).ToList();
}
