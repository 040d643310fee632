namespace SSIS.Batch.Tests.Support;

/// <summary>
/// Root reads and writes anything, so a test of permissions runs ssis as the unprivileged uid 65534
/// (<see cref="SsisProcess.Start"/> with asNobody). This opens a temp folder to that user: the folder, its parent and the
/// named folders readable and enterable, the output folder writable too.
/// </summary>
public static class OtherUser
{
    private const UnixFileMode ReadAndEnter = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                              UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static void Open(TempFolder folder, string outputFolder, params string[] readableFolders)
    {
        Directory.CreateDirectory(outputFolder);
        foreach (var path in readableFolders.Append(folder.Path).Append(Path.GetDirectoryName(folder.Path)!))
            File.SetUnixFileMode(path, ReadAndEnter);
        File.SetUnixFileMode(outputFolder, ReadAndEnter | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite);
    }

    /// <summary>Runs <c>ssis ARGS</c> in the folder as that user; its exit code, standard output and standard error.</summary>
    public static (int Exit, string Output, string Errors) Run(TempFolder folder, params string[] arguments)
    {
        using var process = SsisProcess.Start(folder.Path, asNobody: true, arguments);
        return process.Finish();
    }
}
