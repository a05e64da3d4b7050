using Nlps.Models.Estimation;

namespace Nlps.Models.Tests;

internal static class TestModels
{
    public const long GiB = 1024L * 1024 * 1024;
    public const long MiB = 1024L * 1024;

    public static ModelProfile Load(string name) =>
        ModelProfile.FromConfig(name, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Configs", name + ".json")));

    public static ModelProfile Llama8B => Load("llama-3.1-8b-instruct");

    public static ModelProfile Llama70B => Load("llama-3.1-70b-instruct");

    public static ModelProfile Qwen7B => Load("qwen2.5-7b-instruct");

    public static ModelProfile Qwen05B => Load("qwen2.5-0.5b-instruct");

    public static ModelProfile Mistral7B => Load("mistral-7b-instruct-v0.3");

    public static ModelProfile BgeM3 => Load("bge-m3");

    public static ModelProfile KoBart => Load("kobart-base-v1");

    public static string FixtureBox(string box) => Path.Combine(AppContext.BaseDirectory, "Fixtures", box);
}
