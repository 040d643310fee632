using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace SSIS.Batch.Engine.Catalog;

/// <summary>
/// Reads files and folders whose names are not UTF-8 (Latin-1 names from old archives), which .NET lists with U+FFFD and
/// cannot open: each gets a symbolic link with a UTF-8 name in <paramref name="folder"/> (the state folder's
/// <c>names/</c>), and the run reads it through the link. The link is <c>names/HASH/NAME</c>: HASH from the entry's real
/// path bytes (so the same entry gets the same link in every run, and two entries never share one), NAME its name with
/// each byte that is not UTF-8 written as <c>%XX</c> (<c>Caf%E9.ogg</c>). Linux only: elsewhere, and where no link can be
/// made, such names stay unreadable (NAME_NOT_UTF8).
/// </summary>
public sealed partial class NameAliases(string folder)
{
    /// <summary>The links' folder in the job's state folder (shared by its shards, so every shard reads a file by the same path).</summary>
    public const string StateSubfolder = "names";

    /// <summary>A link to an entry whose name is not UTF-8: the name as .NET lists it (with U+FFFD), and whether the entry is itself a symlink.</summary>
    public sealed record Alias(string ListedName, string Path, bool EntryIsLink);

    /// <summary>
    /// The links to the entries of <paramref name="parent"/> whose names are not UTF-8 (made now when missing); empty when
    /// there are none. An entry no link can be made to is left out.
    /// </summary>
    public IReadOnlyList<Alias> Of(string parent)
    {
        // glibc's struct dirent below is the 64-bit one.
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess) return [];
        // The parent's real path, so an entry inside a linked folder links to the library, not to another link.
        var parentBytes = RealPath.BytesOf(parent) ?? Encoding.UTF8.GetBytes(System.IO.Path.TrimEndingDirectorySeparator(parent));
        var aliases = new List<Alias>();
        foreach (var name in (RawNamesIn(parentBytes) ?? []).Where(n => !IsUtf8(n)))
        {
            byte[] target = [.. parentBytes, (byte)'/', .. name];
            var alias = System.IO.Path.Combine(folder, Convert.ToHexStringLower(SHA256.HashData(target))[..16], WithinNameLimit(Escaped(name)));
            if (!Exists(alias) && !TryLink(target, alias)) continue;
            aliases.Add(new Alias(Encoding.UTF8.GetString(name), alias, IsLink(target)));
        }
        return aliases;
    }

    /// <summary>The UTF-8 names in a folder as the file system lists them; null where it cannot be listed so.</summary>
    public static IReadOnlyList<string>? Utf8NamesIn(string folder)
    {
        if (!OperatingSystem.IsLinux() || !Environment.Is64BitProcess || RealPath.BytesOf(folder) is not { } folderBytes) return null;
        return RawNamesIn(folderBytes)?.Where(IsUtf8).Select(n => Encoding.UTF8.GetString(n)).ToList();
    }

    /// <summary>The longest name a file system takes, in bytes.</summary>
    private const int MaxNameBytes = 255;

    /// <summary>An escaped name cut to the file system's limit (%XX takes three bytes for one), its extension kept.</summary>
    internal static string WithinNameLimit(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxNameBytes) return name;
        var extension = System.IO.Path.GetExtension(name);
        var stem = name[..^extension.Length];
        while (stem.Length > 0 && Encoding.UTF8.GetByteCount(stem) + Encoding.UTF8.GetByteCount(extension) > MaxNameBytes)
            stem = stem[..^(char.IsLowSurrogate(stem[^1]) && stem.Length > 1 ? 2 : 1)];
        // No escape cut in half: "%E" would read as another byte.
        if (stem.Length >= 1 && stem[^1] == '%') stem = stem[..^1];
        else if (stem.Length >= 2 && stem[^2] == '%') stem = stem[..^2];
        return stem + extension;
    }

    /// <summary>A name with each byte that is not part of valid UTF-8 (and each '%') written as %XX.</summary>
    internal static string Escaped(byte[] name)
    {
        var text = new StringBuilder();
        for (var rest = name.AsSpan(); !rest.IsEmpty;)
        {
            if (Rune.DecodeFromUtf8(rest, out var rune, out var length) == System.Buffers.OperationStatus.Done && rune.Value != '%')
                text.Append(rune.ToString());
            else
            {
                length = 1;
                text.Append('%').Append(rest[0].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            rest = rest[length..];
        }
        return text.ToString();
    }

    private static bool IsUtf8(byte[] name) => System.Text.Unicode.Utf8.IsValid(name);

    /// <summary>Whether a link (even one whose target is gone) is at <paramref name="path"/>.</summary>
    private static bool Exists(string path) => new FileInfo(path).LinkTarget is not null;

    private static bool IsLink(byte[] path) => readlink([.. path, 0], new byte[1], 1) >= 0;

    private static bool TryLink(byte[] target, string alias)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(alias)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        return symlink([.. target, 0], [.. Encoding.UTF8.GetBytes(alias), 0]) == 0 || Exists(alias);
    }

    /// <summary>The names in a folder as the bytes the file system holds (without "." and ".."); null when it cannot be read whole.</summary>
    private static List<byte[]>? RawNamesIn(byte[] folderPath)
    {
        var names = new List<byte[]>();
        var directory = opendir([.. folderPath, 0]);
        if (directory == IntPtr.Zero) return null;
        try
        {
            while (true)
            {
                // readdir returns null at the end and on an error alike: errno tells them apart.
                Marshal.SetLastPInvokeError(0);
                var entry = readdir(directory);
                if (entry == IntPtr.Zero) return Marshal.GetLastPInvokeError() == 0 ? names : null;
                var name = NameOf(entry);
                if (name is not ([] or [(byte)'.'] or [(byte)'.', (byte)'.'])) names.Add(name);
            }
        }
        finally
        {
            closedir(directory);
        }
    }

    /// <summary>glibc's struct dirent on 64-bit Linux: d_ino (8), d_off (8), d_reclen (2), d_type (1), then d_name.</summary>
    private const int NameOffset = 19;

    private static byte[] NameOf(IntPtr entry)
    {
        var name = new List<byte>();
        for (var i = 0; i < 256 && Marshal.ReadByte(entry, NameOffset + i) is var b && b != 0; i++) name.Add(b);
        return [.. name];
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial IntPtr opendir(byte[] name);

    [LibraryImport("libc", SetLastError = true)]
    private static partial IntPtr readdir(IntPtr directory);

    [LibraryImport("libc")]
    private static partial int closedir(IntPtr directory);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int symlink(byte[] target, byte[] linkPath);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint readlink(byte[] path, byte[] buffer, nint size);
}
