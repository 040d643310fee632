using System.Diagnostics;

namespace SSIS.Batch.Tests.Support;

/// <summary>External tools the tests run. A missing tool fails the test with how to install it; nothing is skipped.</summary>
public static class Tools
{
    public static string Run(string tool, params string[] arguments) => RunIn(null, tool, arguments);

    public static string RunIn(string? workingDirectory, string tool, params string[] arguments) =>
        RunAllowing(workingDirectory, [0], tool, arguments);

    /// <summary>Runs a tool that writes binary data (raw audio) to standard output; returns those bytes.</summary>
    public static byte[] RunBytes(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"'{tool}' did not start: run './run.sh setup'.");
        var errors = process.StandardError.ReadToEndAsync();
        using var bytes = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(bytes);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} exited {process.ExitCode}: {errors.Result}");
        return bytes.ToArray();
    }

    /// <summary>Runs a tool that reports on standard error (ffmpeg's filters); returns that.</summary>
    public static string RunForErrors(string tool, params string[] arguments) => Execute(null, [0], tool, arguments).Errors;

    /// <summary>Runs a tool that may exit with one of <paramref name="acceptedExitCodes"/>; returns its standard output.</summary>
    public static string RunAllowing(string? workingDirectory, int[] acceptedExitCodes, string tool, params string[] arguments) =>
        Execute(workingDirectory, acceptedExitCodes, tool, arguments).Output;

    private static (string Output, string Errors) Execute(string? workingDirectory, int[] acceptedExitCodes, string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"'{tool}' is not installed: run './run.sh setup' (it installs {InstallHint(tool)}).");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (!acceptedExitCodes.Contains(process.ExitCode))
                throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} exited {process.ExitCode}: {errors.Result}");
            return (output.Result, errors.Result);
        }
    }

    private static string InstallHint(string tool) => tool switch
    {
        "ffmpeg" or "ffprobe" => "Debian package ffmpeg",
        "node" => "Node.js (Debian package nodejs)",
        "sox" => "Debian package sox",
        "fpcalc" => "Debian package libchromaprint-tools",
        "espeak-ng" => "Debian package espeak-ng",
        "cvlc" => "Debian packages vlc-bin and vlc-plugin-base",
        "xmllint" => "Debian package libxml2-utils",
        "chromium" => "Debian package chromium (apt-get install chromium)",
        _ => tool,
    };
}
