using Nlps.Models.Tests.Estimation;

namespace Nlps.Models.Tests.Store;

/// <summary>Small Hugging Face folders on disk: a real Qwen2.5-0.5B config.json, a tokenizer, tiny safetensors with real bytes.</summary>
internal static class ModelFolders
{
    public static string Write(string folder, int weightBytes = 4096)
    {
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Configs", "qwen2.5-0.5b-instruct.json"), Path.Combine(folder, "config.json"));
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), """{"version":"1.0","model":{"type":"BPE","vocab":{"안녕":0}}}""");
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), "{}");
        string weights = Path.Combine(folder, "model.safetensors");
        SafetensorsFile.Write(weights, [new SafetensorsFile.Entry("model.embed_tokens.weight", "BF16", [weightBytes / 2 / 8, 8], 2)]);
        FillData(weights);
        return folder;
    }

    /// <summary>
    /// Adds a rank-16 adapter of layer 0's q_proj and v_proj under adapters/<paramref name="name"/>, and (once) the
    /// base tensors it adapts as a second weights file (Qwen2.5-0.5B: q [896, 896], v [128, 896]).
    /// </summary>
    public static void AddAdapter(string folder, string name, string? config = """{"r": 16, "lora_alpha": 32, "target_modules": ["q_proj", "v_proj"], "base_model_name_or_path": "Qwen/Qwen2.5-0.5B-Instruct"}""")
    {
        string layer = Path.Combine(folder, "model-layer0.safetensors");
        if (!File.Exists(layer))
        {
            SafetensorsFile.Write(layer, [
                new SafetensorsFile.Entry("model.layers.0.self_attn.q_proj.weight", "BF16", [896, 896], 2),
                new SafetensorsFile.Entry("model.layers.0.self_attn.v_proj.weight", "BF16", [128, 896], 2)]);
        }

        string adapter = Path.Combine(folder, "adapters", name);
        Directory.CreateDirectory(adapter);
        if (config is not null)
        {
            File.WriteAllText(Path.Combine(adapter, "adapter_config.json"), config);
        }

        SafetensorsFile.Write(Path.Combine(adapter, "adapter_model.safetensors"), [
            new SafetensorsFile.Entry("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", "BF16", [16, 896], 2),
            new SafetensorsFile.Entry("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight", "BF16", [896, 16], 2),
            new SafetensorsFile.Entry("base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight", "BF16", [16, 896], 2),
            new SafetensorsFile.Entry("base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight", "BF16", [128, 16], 2)]);
    }

    // Puts a non-zero pattern into the data section so that checksums tell files apart.
    private static void FillData(string path)
    {
        using FileStream file = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
        byte[] prefix = new byte[8];
        file.ReadExactly(prefix);
        long start = 8 + (long)BitConverter.ToUInt64(prefix);
        file.Seek(start, SeekOrigin.Begin);
        byte[] data = new byte[file.Length - start];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i * 31 % 251);
        }

        file.Write(data);
    }
}
