using BenchmarkDotNet.Running;

namespace SSIS.Batch.Bench;

/// <summary>Micro-benchmarks (BenchmarkDotNet). End-to-end throughput against reference tools lives in `ssis bench`.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
